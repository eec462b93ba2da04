package io.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.agent.Agent;
import io.strata.agent.AgentConfig;
import io.strata.agent.linux.LinuxAgentConfig;
import io.strata.agent.linux.LinuxAgentMain;
import io.strata.agent.linux.LinuxMachine;
import io.strata.allocator.server.AllocatorServer;
import io.strata.allocator.server.config.AllocatorConfig;
import io.strata.api.AgentId;
import io.strata.api.AgentInfo;
import io.strata.api.Os;
import io.strata.api.ResourcePool;
import io.strata.api.Resources;
import io.strata.api.agent.RegisterAgent;
import io.strata.api.client.AgentClient;
import io.strata.api.client.ApiException;
import io.strata.api.client.ClusterTrust;
import io.strata.api.client.OperatorClient;
import io.strata.api.json.Codec;
import io.strata.cli.inprocess.InProcess;
import io.strata.provisioner.bootstrap.BootstrapScripts;
import io.strata.provisioner.bootstrap.ClusterCa;
import io.strata.provisioner.bootstrap.Template;
import io.strata.provisioner.core.ClusterSecrets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bootstrap contract end to end: the provisioner mints the cluster's secrets and renders the
 * allocator's and a Linux agent's cloud-init with its renderer; the files their {@code write_files}
 * hold are written (under a temporary root instead of {@code /}); the allocator starts from that
 * {@code allocator.json} (HTTPS, certificate issued by the cluster CA) and the Linux agent from
 * that {@code agent.json}, and joins with the join token from its file. The CLI then talks to the
 * TLS allocator with the operator token and the CA from the allocator's files; join tokens expire,
 * are created, listed and revoked; a restarted agent rejoins with its own credential after the join
 * token expired. Everything on 127.0.0.1.
 */
class BootstrapEndToEndTest {
  @TempDir Path tmp;

  /** A clock the test moves: the join token's expiry comes when the test says so. */
  /** A single allocator's HA variables: none (it keeps the embedded journal). */
  static final Map<String, Object> ONE_ALLOCATOR =
      Map.of(
          "advertise_url",
          "",
          "zookeeper_url",
          "",
          "zookeeper_servers",
          Map.of(),
          "zookeeper_myid",
          1);

  static final class MovableClock extends Clock {
    private volatile Instant now = Instant.now();

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  /**
   * Renders {@code template} as the provisioner does and writes its {@code write_files} under
   * {@code root}; the config files' absolute paths are moved under {@code root} the same way.
   */
  static void boot(String template, Map<String, Object> vars, Path root) throws Exception {
    String rendered = Template.parse(template, BootstrapScripts.load(template)).render(vars);
    JsonNode doc = Codec.YAML.mapper().readTree(rendered);
    for (JsonNode f : doc.get("write_files")) {
      String path = f.get("path").asText();
      String content = f.get("content").asText();
      if (path.endsWith(".json")) {
        content =
            content
                .replace("\"/etc/strata/", "\"" + root + "/etc/strata/")
                .replace("\"/var/lib/strata/", "\"" + root + "/var/lib/strata/");
      }
      Path local = root.resolve(path.substring(1));
      Files.createDirectories(local.getParent());
      Files.writeString(local, content);
    }
  }

  static Map<String, Object> common(ClusterSecrets secrets) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("cluster_name", "e2e");
    v.put("strata_version", "0.1.0");
    v.put("artifact_url", "https://downloads.invalid/strata-0.1.0.tar.gz");
    v.put("artifact_sha256", "");
    v.put("cluster_ca_pem", secrets.caCertPem());
    v.put("join_token", secrets.joinToken());
    return v;
  }

  static RegisterAgent registration(String hostname) {
    return new RegisterAgent(
        null,
        new AgentInfo(
            hostname,
            Os.LINUX,
            "amd64",
            ResourcePool.unreserved(Resources.parse("cpus:1;mem:512")),
            Map.of(),
            Set.of(),
            null,
            "test"),
        List.of());
  }

  /** The agent as the template configures it, its endpoint on 127.0.0.1 instead of 0.0.0.0. */
  static AgentConfig onLoopback(AgentConfig a) {
    return new AgentConfig(
        a.workDir(),
        a.allocator(),
        a.joinToken(),
        a.hostname(),
        "127.0.0.1:0",
        a.advertise(),
        a.resources(),
        a.reserved(),
        a.ports(),
        a.attributes(),
        a.defaultUser(),
        a.allowedUsers(),
        a.allowRootTasks(),
        a.logMaxBytes(),
        a.logFiles(),
        a.sandboxRetentionMillis(),
        a.caFile());
  }

  @Test
  void theAllocatorAndALinuxAgentRunFromTheRenderedTemplates() throws Exception {
    MovableClock clock = new MovableClock();
    ClusterSecrets secrets = ClusterCa.create("e2e", clock.instant(), Duration.ofMinutes(5));

    Path allocatorRoot = tmp.resolve("allocator-vm");
    Map<String, Object> allocatorVars = common(secrets);
    allocatorVars.put("allocator_port", 5050);
    allocatorVars.put("cluster_ca_key_pem", secrets.caKeyPem());
    allocatorVars.put("join_token_expires_at", secrets.joinTokenExpiresAt());
    allocatorVars.put("operator_token", secrets.operatorToken());
    allocatorVars.putAll(ONE_ALLOCATOR);
    boot(BootstrapScripts.ALLOCATOR, allocatorVars, allocatorRoot);
    Path etc = allocatorRoot.resolve("etc/strata");

    // As `strata allocator --config /etc/strata/allocator.json --host 127.0.0.1 --port 0`.
    AllocatorConfig config =
        AllocatorConfig.load(etc.resolve("allocator.json")).withHost("127.0.0.1").withPort(0);
    assertThat(config.tls()).isTrue();
    try (AllocatorServer server = AllocatorServer.start(config, clock)) {
      assertThat(server.uri().getScheme()).isEqualTo("https");

      Path agentRoot = tmp.resolve("agent-vm");
      Map<String, Object> agentVars = common(secrets);
      agentVars.put("pool_name", "linux");
      agentVars.put("allocator_url", server.uri().toString());
      agentVars.put("attributes", Map.of("zone", "z1"));
      boot(BootstrapScripts.LINUX_AGENT, agentVars, agentRoot);
      LinuxAgentConfig agentConfig =
          LinuxAgentMain.readConfig(agentRoot.resolve("etc/strata/agent.json"));
      AgentConfig node = onLoopback(agentConfig.agent());
      assertThat(node.caFile()).isEqualTo(agentRoot.resolve("etc/strata/ca.pem").toString());

      Agent agent = new Agent(node, List.of(), new LinuxMachine(), Clock.systemUTC(), timings());
      agent.start();
      try {
        await().atMost(30, TimeUnit.SECONDS).until(agent::isConnected);

        // The CLI with the allocator's operator token and the cluster CA.
        Map<String, String> env =
            Map.of(
                "STRATA_URL", server.uri().toString(),
                "STRATA_TOKEN_FILE", etc.resolve("operator-token").toString(),
                "STRATA_CA_FILE", etc.resolve("ca.pem").toString(),
                "STRATA_CONFIG", tmp.resolve("no-config").toString(),
                "STRATA_DATA_DIR", tmp.resolve("no-data").toString());
        Cli.Result nodes = Cli.run(env, "nodes", "-o", "json");
        assertThat(nodes.code()).as(nodes.toString()).isZero();
        JsonNode listed = Codec.JSON.mapper().readTree(nodes.out()).get(0);
        assertThat(listed.at("/info/attributes").toString())
            .contains("\"cluster\":\"e2e\"")
            .contains("\"pool\":\"linux\"")
            .contains("\"zone\":\"z1\"");
        assertThat(listed.get("state").asText()).isEqualTo("ACTIVE");

        // The agent's own endpoint serves HTTPS only, with a certificate the allocator issued
        // from the cluster CA when the agent registered, and advertises it.
        assertThat(listed.at("/info/endpoint").asText()).startsWith("https://127.0.0.1:");
        agentEndpointIsTls(agent, etc.resolve("ca.pem"));
        // strata logs reads a sandbox over HTTPS, trusting the cluster CA of STRATA_CA_FILE (the
        // sandbox of a task that has ended: found on the agent, not through the allocator).
        Path sandbox =
            new io.strata.agent.tasks.Sandboxes(
                    Path.of(node.workDir()).resolve("sandboxes"), 1 << 20, 2)
                .create(
                    io.strata.agent.containerizer.ContainerId.of("batch-0123456789ab"),
                    new io.strata.api.FrameworkId("jobs"),
                    new io.strata.api.TaskId("batch.r1.0"));
        Files.writeString(sandbox.resolve("stdout"), "task batch.r1.0 over TLS\n");
        Cli.Result logs = Cli.run(env, "logs", "batch.r1.0");
        assertThat(logs.code()).as(logs.toString()).isZero();
        assertThat(logs.out()).isEqualTo("task batch.r1.0 over TLS\n");

        // Without the CA (the JVM's trust store), the CLI refuses the allocator's certificate.
        Map<String, String> noCa = new LinkedHashMap<>(env);
        noCa.remove("STRATA_CA_FILE");
        Cli.Result refused = Cli.run(noCa, "nodes");
        assertThat(refused.code()).as(refused.toString()).isNotZero();
        assertThat(refused.err())
            .contains("TLS certificate is not trusted")
            .contains("--ca-file")
            .doesNotContain("\tat ");

        // The join token expires; agents that joined keep their credential, even restarted.
        clock.advance(Duration.ofMinutes(6));
        SSLContext trust = ClusterTrust.read(etc.resolve("ca.pem")).context();
        AgentClient late = new AgentClient(server.uri(), secrets.joinToken(), trust);
        assertThatThrownBy(() -> late.register(registration("late")))
            .isInstanceOfSatisfying(
                ApiException.class,
                e -> {
                  assertThat(e.status()).isEqualTo(401);
                  assertThat(e.getMessage()).contains("expired");
                });
        agent.close();
        agent = new Agent(node, List.of(), new LinuxMachine(), Clock.systemUTC(), timings());
        agent.start();
        Agent restarted = agent;
        await().atMost(30, TimeUnit.SECONDS).until(restarted::isConnected);
        assertThat(Cli.run(env, "nodes", "-o", "json").out()).contains("\"ACTIVE\"");

        // An operator creates a join token, lists and revokes it.
        Cli.Result created = Cli.run(env, "join-token", "create", "--ttl", "10m");
        assertThat(created.code()).as(created.toString()).isZero();
        String token = created.out().strip();
        new AgentClient(server.uri(), token, trust).register(registration("late"));
        Cli.Result list = Cli.run(env, "join-token", "list", "-o", "json");
        JsonNode tokens = Codec.JSON.mapper().readTree(list.out());
        assertThat(tokens.get(0).get("id").asText()).isEqualTo("bootstrap");
        assertThat(tokens.get(0).get("state").asText()).isEqualTo("EXPIRED");
        String id = tokens.get(1).get("id").asText();
        assertThat(tokens.get(1).get("state").asText()).isEqualTo("ACTIVE");
        assertThat(list.out()).doesNotContain(token);
        Cli.Result revoked = Cli.run(env, "join-token", "revoke", id);
        assertThat(revoked.out()).contains(id + ": REVOKED");
        assertThatThrownBy(
                () -> new AgentClient(server.uri(), token, trust).register(registration("later")))
            .hasMessageContaining("revoked");

        // An operator revokes the agent's own credential: it is removed, its credential refused
        // (after a restart of the allocator too), and, the join token having expired, it cannot
        // join anew by itself.
        AgentId revokedId = restarted.agentId().orElseThrow();
        String credential =
            Files.readString(Path.of(node.workDir()).resolve("meta/agent-credential")).strip();
        Cli.Result revoke = Cli.run(env, "agents", "revoke", revokedId.value());
        assertThat(revoke.code()).as(revoke.toString()).isZero();
        assertThat(revoke.out()).contains(revokedId + ": credential revoked");
        await().atMost(30, TimeUnit.SECONDS).until(() -> restarted.agentId().isEmpty());
        assertThat(Cli.run(env, "nodes", "-o", "json").out()).doesNotContain(revokedId.value());
        AgentClient stolen = new AgentClient(server.uri(), "not-the-join-token-0123", trust);
        stolen.useAgentToken(credential);
        assertThatThrownBy(() -> stolen.heartbeat(revokedId))
            .isInstanceOfSatisfying(
                ApiException.class,
                e -> {
                  assertThat(e.status()).isEqualTo(401);
                  assertThat(e.getMessage()).contains("revoked");
                });
        Cli.Result again = Cli.run(env, "agents", "revoke", "A-unknown");
        assertThat(again.code()).isNotZero();
        assertThat(again.err()).contains("no agent A-unknown").doesNotContain("\tat ");
      } finally {
        agent.close();
      }
    }
  }

  @Test
  void strataAllocatorFromTheRenderedConfigRunsItsFrameworksOverTls() throws Exception {
    ClusterSecrets secrets = ClusterCa.create("e2e", Instant.now(), Duration.ofHours(1));
    Path root = tmp.resolve("allocator-vm");
    Map<String, Object> vars = common(secrets);
    vars.put("allocator_port", 5050);
    vars.put("cluster_ca_key_pem", secrets.caKeyPem());
    vars.put("join_token_expires_at", secrets.joinTokenExpiresAt());
    vars.put("operator_token", secrets.operatorToken());
    vars.putAll(ONE_ALLOCATOR);
    boot(BootstrapScripts.ALLOCATOR, vars, root);
    Path etc = root.resolve("etc/strata");
    AllocatorConfig config = AllocatorConfig.load(etc.resolve("allocator.json"));
    // The template binds every interface, so agents on other machines reach it.
    assertThat(config.host()).isEqualTo("0.0.0.0");

    // As `strata allocator --config allocator.json` (built-in frameworks in the process).
    try (InProcess running = InProcess.start(config.withHost("127.0.0.1").withPort(0), true)) {
      OperatorClient operator =
          new OperatorClient(
              running.server().uri(),
              Files.readString(etc.resolve("operator-token")).strip(),
              ClusterTrust.read(etc.resolve("ca.pem")).context());
      await()
          .atMost(30, TimeUnit.SECONDS)
          .until(
              () ->
                  operator.frameworks().stream()
                      .filter(f -> f.connected())
                      .map(f -> f.info().name())
                      .toList(),
              names -> names.containsAll(List.of("strata-services", "strata-jobs")));
    }
  }

  /**
   * The agent's endpoint: its certificate chains to the cluster CA and is marked as an agent's; a
   * client of agents trusting the cluster CA reads it; a client trusting another CA, or the
   * allocator's client (which refuses agents' certificates), fails at the handshake; a plain-HTTP
   * request gets no HTTP answer.
   */
  static void agentEndpointIsTls(Agent agent, Path caFile) throws Exception {
    ClusterTrust cluster = ClusterTrust.read(caFile);
    await().atMost(30, TimeUnit.SECONDS).until(() -> !agent.endpointCertificates().isEmpty());
    java.security.cert.X509Certificate cert = agent.endpointCertificates().get(0);
    cert.verify(cluster.authorities().get(0).getPublicKey());
    cert.checkValidity();
    assertThat(ClusterTrust.issuedToAgent(cert)).isTrue();
    assertThat(cert.getSubjectX500Principal().getName())
        .contains("strata agent " + agent.agentId().orElseThrow().value());
    java.net.URI health = java.net.URI.create("https://127.0.0.1:" + agent.httpPort() + "/health");
    java.net.http.HttpResponse<String> ok =
        java.net.http.HttpClient.newBuilder()
            .sslContext(cluster.agentContext())
            .build()
            .send(
                java.net.http.HttpRequest.newBuilder(health).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.body()).isEqualTo("ok\n");
    ClusterTrust other =
        ClusterTrust.fromPem(
            ClusterCa.create("other", Instant.now(), Duration.ofHours(1)).caCertPem());
    Map<SSLContext, String> refusals =
        Map.of(
            other.agentContext(), "PKIX path building failed",
            cluster.context(), "issued to an agent's endpoint, not to the allocator");
    refusals.forEach(
        (refused, why) ->
            assertThatThrownBy(
                    () ->
                        java.net.http.HttpClient.newBuilder()
                            .sslContext(refused)
                            .build()
                            .send(
                                java.net.http.HttpRequest.newBuilder(health).build(),
                                java.net.http.HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(javax.net.ssl.SSLHandshakeException.class)
                .hasMessageContaining(why));
    try (java.net.Socket plain = new java.net.Socket("127.0.0.1", agent.httpPort())) {
      plain.setSoTimeout(10_000);
      plain
          .getOutputStream()
          .write(
              "GET /health HTTP/1.1\r\nHost: x\r\n\r\n"
                  .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      byte[] answer = plain.getInputStream().readNBytes(5);
      assertThat(new String(answer, java.nio.charset.StandardCharsets.ISO_8859_1))
          .doesNotStartWith("HTTP");
    } catch (java.net.SocketException e) {
      // Reset by the server: no answer either.
    }
  }

  /** Reconnects quickly: the test waits for re-registration, not for a back-off. */
  static Agent.Timings timings() {
    return new Agent.Timings(
        Agent.Timings.DEFAULT.statusUpdates(),
        new io.strata.api.Backoff(Duration.ofMillis(100), Duration.ofSeconds(1)),
        Agent.Timings.DEFAULT.logRotation());
  }
}
