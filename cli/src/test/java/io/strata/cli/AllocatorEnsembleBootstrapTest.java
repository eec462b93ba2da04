package io.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.strata.api.client.ClusterTrust;
import io.strata.provisioner.bootstrap.BootstrapScripts;
import io.strata.provisioner.bootstrap.ClusterCa;
import io.strata.provisioner.core.ClusterSecrets;
import io.strata.provisioner.core.Machine;
import io.strata.provisioner.core.NodeRole;
import io.strata.provisioner.core.Topology;
import io.strata.provisioner.spec.ClusterSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the allocator machines of an HA group boot actually forms a ZooKeeper ensemble with one
 * leading allocator on it: the rendered bootstrap of 3 allocators (addresses 127.0.0.11-13, on
 * loopback) gives each its zoo.cfg, myid and logging config; each is started as the template's
 * systemd unit starts it, {@code java -cp <the distribution's classpath>
 * org.apache.zookeeper.server.quorum.QuorumPeerMain zoo.cfg}, here with the CLI's runtime classpath
 * (what the distribution's lib/ holds). Only the client port is moved to a free one (the template's
 * 2181 binds every address). Without the server's run-time jars that ZooKeeper's pom marks provided
 * (metrics-core, snappy-java) the servers die at start. Then each machine's allocator starts from
 * its rendered allocator.json ({@code strata allocator --config}); all three must agree on one
 * leader, each advertise its own address, and answer the load balancer's probe {@code GET
 * /health/leader} with 200 on the leader only.
 */
class AllocatorEnsembleBootstrapTest {
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> ADDRESSES = List.of("127.0.0.11", "127.0.0.12", "127.0.0.13");

  @TempDir Path dir;

  @Test
  void threeAllocatorMachinesFormAnEnsembleFromTheirBootstrap() throws Exception {
    ClusterSpec spec =
        ClusterSpec.parse(
            """
            name: haboot
            cloud: azure
            location: westeurope
            artifactUrl: https://downloads.example.invalid/strata.tar.gz
            azure:
              subscriptionId: 00000000-0000-0000-0000-000000000001
              tenantId: 00000000-0000-0000-0000-000000000002
              clientId: c
              clientSecret: {env: X}
            allocator: {count: 3, size: Standard_D2s_v5, image: "a:b:c:latest"}
            pools: [{name: linux, os: linux, count: 1, size: Standard_D2s_v5, image: "a:b:c:latest"}]
            access: {sshPublicKey: {env: Y}}
            """);
    ClusterSecrets secrets =
        ClusterCa.create("haboot", Instant.parse("2026-01-01T00:00:00Z"), Duration.ofHours(1));
    List<Process> servers = new ArrayList<>();
    List<Process> allocators = new ArrayList<>();
    List<Integer> clientPorts = new ArrayList<>();
    List<Map<String, String>> rendered = new ArrayList<>();
    try {
      for (Machine m : Topology.machines(spec)) {
        if (m.role() != NodeRole.ALLOCATOR) {
          continue;
        }
        Map<String, String> files =
            files(new BootstrapScripts().render(spec, secrets, m, null, ADDRESSES).userData());
        rendered.add(files);
        Path home = Files.createDirectories(dir.resolve("zk-" + m.index()));
        Path data = Files.createDirectories(home.resolve("data"));
        Files.writeString(data.resolve("myid"), files.get("/var/lib/strata/zookeeper/myid"));
        int clientPort = freePort();
        clientPorts.add(clientPort);
        String zooCfg =
            files
                .get("/etc/strata/zookeeper/zoo.cfg")
                .replace("dataDir=/var/lib/strata/zookeeper", "dataDir=" + data)
                .replace(
                    "clientPort=2181",
                    "clientPort=" + clientPort + "\nclientPortAddress=" + ADDRESSES.get(m.index()));
        Files.writeString(home.resolve("zoo.cfg"), zooCfg);
        Files.writeString(
            home.resolve("logback.xml"), files.get("/etc/strata/zookeeper/logback.xml"));
        servers.add(
            new ProcessBuilder(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx128m",
                    "-Dlogback.configurationFile=" + home.resolve("logback.xml"),
                    "-cp",
                    System.getProperty("java.class.path"),
                    "org.apache.zookeeper.server.quorum.QuorumPeerMain",
                    home.resolve("zoo.cfg").toString())
                .redirectErrorStream(true)
                .redirectOutput(home.resolve("server.log").toFile())
                .start());
      }
      Instant deadline = Instant.now().plusSeconds(150);
      List<String> modes = List.of();
      while (Instant.now().isBefore(deadline)) {
        modes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
          modes.add(mode(ADDRESSES.get(i), clientPorts.get(i)));
        }
        if (modes.stream().filter("leader"::equals).count() == 1
            && modes.stream().filter("follower"::equals).count() == 2) {
          break;
        }
        for (Process p : servers) {
          assertThat(p.isAlive()).as("a ZooKeeper server died; its log:%n%s", logs()).isTrue();
        }
        Thread.sleep(500);
      }
      assertThat(modes)
          .as("one leader and two followers; logs:%n%s", logs())
          .containsExactlyInAnyOrder("leader", "follower", "follower");

      // The allocators of the three machines, from their rendered configuration, on that ensemble.
      List<String> moved = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        moved.add(ADDRESSES.get(i) + ":" + clientPorts.get(i));
      }
      String zookeeper = "zk://" + String.join(",", moved) + "/strata";
      for (int i = 0; i < 3; i++) {
        allocators.add(startAllocator(i, rendered.get(i), dir.resolve("zk-" + i), zookeeper));
      }
      HttpClient http =
          HttpClient.newBuilder()
              .sslContext(ClusterTrust.fromPem(secrets.caCertPem()).context())
              .connectTimeout(Duration.ofSeconds(2))
              .build();
      deadline = Instant.now().plusSeconds(180);
      List<JsonNode> views = List.of();
      while (Instant.now().isBefore(deadline)) {
        views = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
          String[] r = get(http, "https://" + ADDRESSES.get(i) + ":5050/v1/leader");
          views.add(r[0].equals("200") ? JSON.readTree(r[1]) : null);
        }
        if (views.stream().allMatch(v -> v != null && v.hasNonNull("leader"))
            && views.stream().filter(v -> v.path("isLeader").asBoolean()).count() == 1
            && views.stream().map(v -> v.get("leader").asText()).distinct().count() == 1) {
          break;
        }
        for (Process p : allocators) {
          assertThat(p.isAlive()).as("an allocator died; logs:%n%s", allocatorLogs()).isTrue();
        }
        Thread.sleep(500);
      }
      assertThat(views)
          .as("every allocator knows the one leader; logs:%n%s", allocatorLogs())
          .allMatch(v -> v != null && v.hasNonNull("leader"));
      String leader = views.get(0).get("leader").asText();
      for (int i = 0; i < 3; i++) {
        String self = "https://" + ADDRESSES.get(i) + ":5050";
        JsonNode view = views.get(i);
        assertThat(view.get("self").asText()).as("its advertiseUrl").isEqualTo(self);
        assertThat(view.get("leader").asText()).isEqualTo(leader);
        assertThat(view.get("isLeader").asBoolean()).isEqualTo(self.equals(leader));
        // What the Azure load balancer's probe asks: 200 on the leader only.
        assertThat(get(http, self + "/health/leader")[0])
            .as("GET /health/leader on %s", self)
            .isEqualTo(self.equals(leader) ? "200" : "503");
      }
      assertThat(ADDRESSES.stream().map(a -> "https://" + a + ":5050")).contains(leader);
      // The strata. zone (dnsPort 8600 on each machine): the leader answers it, the standbys
      // forward to the leader, so a node may ask any allocator.
      for (String address : ADDRESSES) {
        org.xbill.DNS.SimpleResolver resolver = new org.xbill.DNS.SimpleResolver(address);
        resolver.setPort(8600);
        resolver.setTimeout(Duration.ofSeconds(5));
        for (boolean tcp : new boolean[] {false, true}) {
          resolver.setTCP(tcp);
          org.xbill.DNS.Message soa = resolver.send(dnsQuery("strata.", org.xbill.DNS.Type.SOA));
          assertThat(soa.getRcode())
              .as("SOA from %s", address)
              .isEqualTo(org.xbill.DNS.Rcode.NOERROR);
          assertThat(soa.getHeader().getFlag(org.xbill.DNS.Flags.AA)).isTrue();
          assertThat(
                  resolver.send(dnsQuery("nope.services.strata.", org.xbill.DNS.Type.A)).getRcode())
              .isEqualTo(org.xbill.DNS.Rcode.NXDOMAIN);
        }
      }
    } finally {
      for (Process p : allocators) {
        p.destroyForcibly().waitFor();
      }
      for (Process p : servers) {
        p.destroyForcibly().waitFor();
      }
    }
  }

  /**
   * Starts allocator {@code i} as the template's unit does ({@code strata allocator --config}),
   * from its rendered allocator.json with the files it names moved under {@code home}, {@code host}
   * set to its own address (the template's 0.0.0.0 would take port 5050 on every address of this
   * shared machine) and the ZooKeeper URL pointing at the ensemble's moved client ports.
   */
  private Process startAllocator(int i, Map<String, String> files, Path home, String zookeeper)
      throws IOException {
    ObjectNode config = (ObjectNode) JSON.readTree(files.get("/etc/strata/allocator.json"));
    for (String field : List.of("caFile", "caKeyFile", "joinTokenFile", "operatorTokenFile")) {
      String original = config.get(field).asText();
      Path copy = home.resolve(Path.of(original).getFileName().toString());
      Files.writeString(copy, files.get(original));
      config.put(field, copy.toString());
    }
    config.put("dataDir", Files.createDirectories(home.resolve("allocator")).toString());
    config.put("host", ADDRESSES.get(i));
    config.put("zookeeper", zookeeper);
    Path file = home.resolve("allocator.json");
    Files.writeString(file, JSON.writeValueAsString(config));
    return new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx256m",
            "-cp",
            System.getProperty("java.class.path"),
            "io.strata.cli.Main",
            "allocator",
            "--config",
            file.toString())
        .redirectErrorStream(true)
        .redirectOutput(home.resolve("allocator.log").toFile())
        .start();
  }

  private static org.xbill.DNS.Message dnsQuery(String name, int type) throws IOException {
    return org.xbill.DNS.Message.newQuery(
        org.xbill.DNS.Record.newRecord(
            org.xbill.DNS.Name.fromString(name), type, org.xbill.DNS.DClass.IN));
  }

  /** GET url → [status, body]; [0, error] when it cannot be asked. */
  private static String[] get(HttpClient http, String url) {
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).build(),
              HttpResponse.BodyHandlers.ofString());
      return new String[] {Integer.toString(r.statusCode()), r.body()};
    } catch (IOException e) {
      return new String[] {"0", e.toString()};
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new String[] {"0", "interrupted"};
    }
  }

  private String allocatorLogs() {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 3; i++) {
      Path log = dir.resolve("zk-" + i).resolve("allocator.log");
      try {
        List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
        b.append("allocator ").append(i).append(":\n");
        lines.stream().skip(Math.max(0, lines.size() - 20)).forEach(l -> b.append(l).append('\n'));
      } catch (IOException e) {
        b.append(e).append('\n');
      }
    }
    return b.toString();
  }

  private static Map<String, String> files(String cloudInit) throws IOException {
    Map<String, String> files = new HashMap<>();
    for (JsonNode f : YAML.readTree(cloudInit).get("write_files")) {
      files.put(f.get("path").asText(), f.get("content").asText());
    }
    return files;
  }

  /** The server's mode from the {@code srvr} four-letter command the template allows. */
  private static String mode(String host, int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 1000);
      s.setSoTimeout(2000);
      OutputStream out = s.getOutputStream();
      out.write("srvr".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      String answer = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
      return answer
          .lines()
          .filter(l -> l.startsWith("Mode: "))
          .map(l -> l.substring(6).strip())
          .findFirst()
          .orElse("none");
    } catch (IOException e) {
      return "down";
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private String logs() {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 3; i++) {
      Path log = dir.resolve("zk-" + i).resolve("server.log");
      try {
        List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
        b.append("zk-").append(i).append(":\n");
        lines.stream().skip(Math.max(0, lines.size() - 15)).forEach(l -> b.append(l).append('\n'));
      } catch (IOException e) {
        b.append(e).append('\n');
      }
    }
    return b.toString();
  }
}
