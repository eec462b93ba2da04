package io.strata.provisioner.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.strata.provisioner.core.ClusterSecrets;
import io.strata.provisioner.core.Machine;
import io.strata.provisioner.core.Topology;
import io.strata.provisioner.providers.azure.AzureFixture;
import io.strata.provisioner.spec.ClusterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BootstrapScriptsTest {
  private final ClusterSpec spec = ClusterSpec.parse(AzureFixture.yaml("boot", 1, 1));
  private final ClusterSecrets secrets =
      ClusterCa.create("boot", Instant.parse("2026-01-01T00:00:00Z"), Duration.ofHours(24));

  /** variables.json is the contract with the Terraform modules: the same names, no more. */
  @Test
  void eachTemplateGetsExactlyTheVariablesOfVariablesJson() throws Exception {
    JsonNode contract = new ObjectMapper().readTree(BootstrapScripts.load("variables.json"));
    for (Machine m : Topology.machines(spec)) {
      String template = BootstrapScripts.templateOf(m);
      Set<String> expected = new HashSet<>();
      contract.path(template).forEach(v -> expected.add(v.path("name").asText()));
      assertThat(BootstrapScripts.variables(spec, secrets, m, "https://10.40.0.4:5050").keySet())
          .as(template)
          .isEqualTo(expected);
    }
    assertThat(contract.size()).isEqualTo(3);
  }

  @Test
  void linuxAgentCloudInitParsesAndCarriesItsSettings() throws Exception {
    Machine linux = machine("boot-linux-0");
    String doc =
        new BootstrapScripts().render(spec, secrets, linux, "https://10.40.0.4:5050").userData();
    JsonNode yaml = new ObjectMapper(new YAMLFactory()).readTree(doc);
    String agentJson =
        yaml.path("write_files").findValuesAsText("content").stream()
            .filter(c -> c.contains("allocatorUrl"))
            .findFirst()
            .orElseThrow();
    JsonNode agent = new ObjectMapper().readTree(agentJson);
    assertThat(agent.path("allocatorUrl").asText()).isEqualTo("https://10.40.0.4:5050");
    assertThat(agent.path("pool").asText()).isEqualTo("linux");
    assertThat(agent.path("attributes").path("tier").asText()).isEqualTo("web");
    assertThat(yaml.path("write_files").toString()).contains(secrets.joinToken());
  }

  @Test
  void windowsScriptHasWhatTheWindowsAgentNeeds() {
    Machine win = machine("boot-win-0");
    var b = new BootstrapScripts().render(spec, secrets, win, "https://10.40.0.4:5050");
    assertThat(b.userData())
        .startsWith("#ps1_sysnative")
        .contains("\"allocatorUrl\": \"https://10.40.0.4:5050\"")
        .contains(secrets.joinToken())
        .contains("StrataAgent")
        .contains("\"pool\": \"win\"");
    // On Azure the same script travels, packed, inside the protected command.
    assertThat(AzureFixture.scriptOf(b.secrets())).isEqualTo(b.userData());
  }

  @Test
  void theAllocatorGetsTheCaKeyAndTheTokenExpiry() {
    var b = new BootstrapScripts().render(spec, secrets, machine("boot-alloc-0"), null);
    assertThat(b.userData()).contains("PRIVATE KEY").contains(secrets.joinTokenExpiresAt());
    assertThat(secrets.joinTokenExpiresAt()).isEqualTo("2026-01-02T00:00:00Z");
  }

  private Machine machine(String name) {
    List<Machine> all = Topology.machines(spec);
    return all.stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void aWindowsCommandTooLongForCmdIsRefusedWithItsLength() {
    StringBuilder noise = new StringBuilder();
    java.util.Random random = new java.util.Random(7); // incompressible text
    for (int i = 0; i < 12_000; i++) {
      noise.append((char) ('a' + random.nextInt(26)));
    }
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> BootstrapScripts.windowsCommand(noise.toString()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("more than the 8191 cmd.exe runs");
    assertThat(BootstrapScripts.windowsCommand("Write-Output hi")).contains("FromBase64String('");
  }

  @Test
  void anHaAllocatorGetsItsPartInTheEnsemble() throws Exception {
    ClusterSpec ha =
        ClusterSpec.parse(
            AzureFixture.yaml("boot", 1, 0)
                .replace("allocator: {count: 1,", "allocator: {count: 5,"));
    List<String> addresses =
        List.of("10.40.0.254", "10.40.0.253", "10.40.0.252", "10.40.0.251", "10.40.0.250");
    Machine third = Topology.machines(ha).get(2);
    var v = BootstrapScripts.variables(ha, secrets, third, null, addresses);
    assertThat(v.get("zookeeper_myid")).isEqualTo(3);
    assertThat(v.get("advertise_url")).isEqualTo("https://10.40.0.252:5050");
    assertThat(v.get("zookeeper_url"))
        .isEqualTo(
            "zk://10.40.0.254:2181,10.40.0.253:2181,10.40.0.252:2181,10.40.0.251:2181,"
                + "10.40.0.250:2181/strata");
    assertThat(v.get("zookeeper_servers").toString())
        .isEqualTo("{1=10.40.0.254, 2=10.40.0.253, 3=10.40.0.252, 4=10.40.0.251, 5=10.40.0.250}");
    // Addresses go into zoo.cfg and the firewall as they are: only IPv4 literals, all of them.
    assertThatThrownBy(() -> BootstrapScripts.variables(ha, secrets, third, null, List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("need their private addresses before they boot");
    List<String> bad = new java.util.ArrayList<>(addresses);
    bad.set(1, "10.40.0.253\nserver.9=evil");
    assertThatThrownBy(() -> BootstrapScripts.variables(ha, secrets, third, null, bad))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must be an IPv4 address");
  }

  @Test
  void aSingleAllocatorKeepsItsJournalAndRendersAsBefore() {
    Machine alloc = Topology.machines(spec).get(0);
    var v = BootstrapScripts.variables(spec, secrets, alloc, null);
    assertThat(v.get("zookeeper_url")).isEqualTo("");
    String doc = new BootstrapScripts().render(spec, secrets, alloc, null).userData();
    // nftables is there for every allocator (the DNS port 53 redirect), its ZooKeeper rules not.
    assertThat(doc).doesNotContain("zookeeper").doesNotContain("%{").contains("dns-redirect.nft");
  }
}
