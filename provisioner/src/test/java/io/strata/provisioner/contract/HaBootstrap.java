package io.strata.provisioner.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the machines of an HA group boot with, read back from the cloud as the machines would read
 * it: every allocator runs a ZooKeeper server whose zoo.cfg lists all allocator machines, with its
 * own id, and an allocator configured with the ensemble's URL and its own address; the secrets are
 * the same on all of them; agents get every allocator's URL.
 */
public final class HaBootstrap {
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final ObjectMapper JSON = new ObjectMapper();

  private HaBootstrap() {}

  /** The files a cloud-init document writes, by path. */
  public static Map<String, String> files(String cloudInit) {
    try {
      JsonNode doc = YAML.readTree(cloudInit);
      Map<String, String> files = new HashMap<>();
      for (JsonNode f : doc.get("write_files")) {
        files.put(f.get("path").asText(), f.get("content").asText());
      }
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Checks the allocators' scripts ({@code scripts.get(i)} is allocator i's) against the addresses
   * they were meant to get, and returns the agents' expected allocator URL.
   */
  public static String checkAllocators(List<String> scripts, List<String> addresses, int port)
      throws IOException {
    assertThat(scripts).hasSameSizeAs(addresses);
    List<String> servers = new ArrayList<>();
    List<String> clients = new ArrayList<>();
    List<String> urls = new ArrayList<>();
    for (int i = 0; i < addresses.size(); i++) {
      servers.add("server." + (i + 1) + "=" + addresses.get(i) + ":2888:3888");
      clients.add(addresses.get(i) + ":2181");
      urls.add("https://" + addresses.get(i) + ":" + port);
    }
    String zk = "zk://" + String.join(",", clients) + "/strata";
    Map<String, String> first = files(scripts.get(0));
    for (int i = 0; i < scripts.size(); i++) {
      String script = scripts.get(i);
      assertThat(script).as("allocator %d boots from cloud-init", i).startsWith("#cloud-config\n");
      Map<String, String> files = files(script);
      String zooCfg = files.get("/etc/strata/zookeeper/zoo.cfg");
      assertThat(zooCfg.lines().filter(l -> l.startsWith("server.")).toList())
          .as("allocator %d's zoo.cfg lists every allocator machine", i)
          .containsExactlyElementsOf(servers);
      assertThat(zooCfg).contains("clientPort=2181").contains("dataDir=/var/lib/strata/zookeeper");
      assertThat(files.get("/var/lib/strata/zookeeper/myid")).isEqualTo((i + 1) + "\n");
      JsonNode config = JSON.readTree(files.get("/etc/strata/allocator.json"));
      assertThat(config.get("zookeeper").asText()).isEqualTo(zk);
      assertThat(config.get("advertiseUrl").asText()).isEqualTo(urls.get(i));
      assertThat(config.get("host").asText()).isEqualTo("0.0.0.0");
      for (String shared :
          List.of(
              "/etc/strata/ca.pem",
              "/etc/strata/ca-key.pem",
              "/etc/strata/join-token",
              "/etc/strata/operator-token")) {
        assertThat(files.get(shared))
            .as("%s on allocator %d", shared, i)
            .isEqualTo(first.get(shared));
      }
      String firewall = files.get("/etc/strata/zookeeper/firewall.nft");
      for (String a : addresses) {
        assertThat(firewall).contains("ip saddr " + a + " return");
      }
      assertThat(firewall).contains("tcp dport { 2181, 2888, 3888 } drop");
      assertThat(files.get("/etc/systemd/system/strata-zookeeper.service"))
          .contains(
              "org.apache.zookeeper.server.quorum.QuorumPeerMain /etc/strata/zookeeper/zoo.cfg")
          .contains("/opt/strata/current/lib/*");
      assertThat(script).contains("[systemctl, enable, --now, strata-zookeeper.service]");
    }
    return String.join(",", urls);
  }

  /** The allocator URL an agent's script configures. */
  public static String agentAllocatorUrl(String agentScript) throws IOException {
    return JSON.readTree(files(agentScript).get("/etc/strata/agent.json"))
        .get("allocatorUrl")
        .asText();
  }
}
