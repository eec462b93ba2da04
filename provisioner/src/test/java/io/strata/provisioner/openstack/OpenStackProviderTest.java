package io.strata.provisioner.openstack;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.provisioner.contract.CloudFixture;
import io.strata.provisioner.contract.CloudProviderContract;
import org.junit.jupiter.api.Test;

/** The OpenStack provider, with the real openstack4j client, passes the contract. */
class OpenStackProviderTest extends CloudProviderContract {
  @Override
  protected CloudFixture newFixture() {
    return new OpenStackFixture();
  }

  @Test
  void windowsBootsThroughCloudbaseInitAndTheAllocatorGetsAFloatingIp() {
    assertThat(apply(cloud.spec("osw", 0, 1)).failures()).isEmpty();
    assertThat(cloud.userData("osw-win-0")).startsWith("#ps1_sysnative");
    var state = new io.strata.provisioner.state.StateStore(stateDir).load("osw").orElseThrow();
    assertThat(state.nodes().get("osw-alloc-0").publicIp()).startsWith("203.0.113.");
    assertThat(cloud.tagged("osw"))
        .contains("osw-net", "osw-subnet", "osw-router", "osw-sg", "osw-key");
  }
}
