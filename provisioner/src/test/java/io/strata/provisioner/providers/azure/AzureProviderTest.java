package io.strata.provisioner.providers.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.provisioner.apply.PreflightException;
import io.strata.provisioner.contract.CloudFixture;
import io.strata.provisioner.contract.CloudProviderContract;
import io.strata.provisioner.contract.HaBootstrap;
import io.strata.provisioner.spec.ClusterSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Azure provider, with the real SDK, passes the contract against the fake ARM. */
class AzureProviderTest extends CloudProviderContract {
  @Override
  protected CloudFixture newFixture() {
    return new AzureFixture();
  }

  private AzureFixture azure() {
    return (AzureFixture) cloud;
  }

  @Test
  void windowsRunsItsScriptThroughAProtectedCustomScriptExtension() {
    assertThat(apply(cloud.spec("winx", 0, 1)).failures()).isEmpty();
    var settings = azure().arm.protectedSettings("winx-win-0", "strata-bootstrap");
    String command = settings.path("commandToExecute").asText();
    assertThat(command).startsWith("powershell.exe ").hasSizeLessThanOrEqualTo(8191);
    String script = AzureFixture.scriptOf(command);
    // The whole rendered script, join token included, and it is sent as nothing else.
    assertThat(script).contains("agent.json").contains("join-token");
    assertThat(azure().arm.customData("winx-win-0")).isNull();
    assertThat(azure().arm.resources("Microsoft.Compute/virtualMachines/extensions"))
        .allMatch(e -> !e.path("properties").has("protectedSettings"));
  }

  @Test
  void theAllocatorGetsAPublicAddressAndEveryResourceIsTagged() {
    assertThat(apply(cloud.spec("tags", 1, 0)).failures()).isEmpty();
    assertThat(azure().arm.resources("Microsoft.Network/publicIPAddresses"))
        .extracting(n -> n.path("name").asText())
        .containsExactly("tags-alloc-0-ip");
    assertThat(cloud.tagged("tags"))
        .contains(
            "strata-tags",
            "tags-nsg",
            "tags-vnet",
            "tags-alloc-0",
            "tags-alloc-0-nic",
            "tags-linux-0",
            "tags-linux-0-nic");
  }

  private static ClusterSpec ha(String name, int allocators, int linux) {
    return ClusterSpec.parse(
        AzureFixture.yaml(name, linux, 0)
            .replace("allocator: {count: 1,", "allocator: {count: " + allocators + ","));
  }

  @Test
  void anHaGroupOfThreeGetsStaticAddressesAnEnsembleAndALeaderOnlyBalancer() throws Exception {
    assertThat(apply(ha("hag", 3, 2)).failures()).isEmpty();
    assertThat(cloud.machines("hag"))
        .containsExactlyInAnyOrder(
            "hag-alloc-0", "hag-alloc-1", "hag-alloc-2", "hag-linux-0", "hag-linux-1");
    List<String> addresses = List.of("10.40.0.254", "10.40.0.253", "10.40.0.252");
    String lbId = null;
    for (JsonNode lb : azure().arm.resources("Microsoft.Network/loadBalancers")) {
      lbId = lb.path("id").asText();
      JsonNode props = lb.path("properties");
      JsonNode probe = props.path("probes").get(0).path("properties");
      assertThat(probe.path("protocol").asText()).isEqualTo("Https");
      assertThat(probe.path("requestPath").asText()).isEqualTo("/health/leader");
      assertThat(probe.path("port").asInt()).isEqualTo(5050);
      assertThat(
              props
                  .path("frontendIPConfigurations")
                  .get(0)
                  .path("properties")
                  .path("privateIPAddress")
                  .asText())
          .isEqualTo("10.40.0.245");
      assertThat(
              props
                  .path("loadBalancingRules")
                  .get(0)
                  .path("properties")
                  .path("probe")
                  .path("id")
                  .asText())
          .endsWith("/probes/allocator");
    }
    assertThat(lbId).as("one load balancer in front of the allocators").isNotNull();
    List<String> scripts = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String name = "hag-alloc-" + i;
      JsonNode nic =
          azure().arm.resources("Microsoft.Network/networkInterfaces").stream()
              .filter(n -> n.path("name").asText().equals(name + "-nic"))
              .findFirst()
              .orElseThrow();
      JsonNode ip = nic.path("properties").path("ipConfigurations").get(0).path("properties");
      assertThat(ip.path("privateIPAllocationMethod").asText()).isEqualTo("Static");
      assertThat(ip.path("privateIPAddress").asText()).isEqualTo(addresses.get(i));
      assertThat(ip.path("loadBalancerBackendAddressPools").get(0).path("id").asText())
          .isEqualTo(lbId + "/backendAddressPools/allocators");
      scripts.add(cloud.userData(name));
    }
    String agentsUrl = HaBootstrap.checkAllocators(scripts, addresses, 5050);
    assertThat(agentsUrl)
        .isEqualTo("https://10.40.0.254:5050,https://10.40.0.253:5050,https://10.40.0.252:5050");
    assertThat(HaBootstrap.agentAllocatorUrl(cloud.userData("hag-linux-0"))).isEqualTo(agentsUrl);
    assertThat(HaBootstrap.agentAllocatorUrl(cloud.userData("hag-linux-1"))).isEqualTo(agentsUrl);

    // Converged: nothing to do; the count is fixed once the cluster exists.
    var again = apply(ha("hag", 3, 2));
    assertThat(again.plan().steps()).isEmpty();
    assertThatThrownBy(() -> apply(ha("hag", 5, 2)))
        .isInstanceOf(PreflightException.class)
        .hasMessageContaining("allocator.count cannot change on an existing cluster (it has 3");
    assertThatThrownBy(() -> apply(ha("hag", 1, 2)))
        .isInstanceOf(PreflightException.class)
        .hasMessageContaining("allocator.count cannot change");
  }

  @Test
  void aSingleAllocatorHasNoEnsembleNorBalancer() throws Exception {
    assertThat(apply(cloud.spec("one", 1, 0)).failures()).isEmpty();
    assertThat(azure().arm.resources("Microsoft.Network/loadBalancers")).isEmpty();
    var files = HaBootstrap.files(cloud.userData("one-alloc-0"));
    assertThat(files).doesNotContainKey("/etc/strata/zookeeper/zoo.cfg");
    assertThat(files.get("/etc/strata/allocator.json"))
        .doesNotContain("zookeeper")
        .doesNotContain("advertiseUrl");
    assertThat(HaBootstrap.agentAllocatorUrl(cloud.userData("one-linux-0")))
        .isEqualTo("https://10.40.0.254:5050");
  }
}
