package io.strata.provisioner.azure;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.provisioner.contract.CloudFixture;
import io.strata.provisioner.contract.CloudProviderContract;
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
}
