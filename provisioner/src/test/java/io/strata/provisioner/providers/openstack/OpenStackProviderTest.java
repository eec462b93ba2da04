package io.strata.provisioner.providers.openstack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.provisioner.contract.CloudFixture;
import io.strata.provisioner.contract.CloudProviderContract;
import io.strata.provisioner.contract.HaBootstrap;
import io.strata.provisioner.spec.ClusterSpec;
import java.util.ArrayList;
import java.util.List;
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

  private OpenStackFixture openstack() {
    return (OpenStackFixture) cloud;
  }

  @Test
  void anHaGroupOfThreeBootsOnPortsWithFixedAddressesAndAnEnsemble() throws Exception {
    var base = cloud.spec("osha", 2, 0);
    ClusterSpec spec =
        new ClusterSpec(
            base.name(),
            base.cloud(),
            base.location(),
            base.strataVersion(),
            base.artifactUrl(),
            base.artifactSha256(),
            base.azure(),
            base.openstack(),
            base.local(),
            new io.strata.provisioner.spec.AllocatorSpec(
                3,
                base.allocator().size(),
                base.allocator().image(),
                base.allocator().diskGb(),
                base.allocator().port()),
            base.pools(),
            base.network(),
            base.access());
    assertThat(apply(spec).failures()).isEmpty();
    List<String> addresses = List.of("10.50.0.10", "10.50.0.11", "10.50.0.12");
    List<JsonNode> ports = openstack().os.ports();
    List<String> scripts = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String name = "osha-alloc-" + i;
      String serverId =
          openstack().os.servers().stream()
              .filter(s -> s.path("name").asText().equals(name))
              .findFirst()
              .orElseThrow()
              .path("id")
              .asText();
      JsonNode port =
          ports.stream()
              .filter(p -> p.path("name").asText().equals(name + "-port"))
              .findFirst()
              .orElseThrow();
      assertThat(port.path("fixed_ips").get(0).path("ip_address").asText())
          .isEqualTo(addresses.get(i));
      assertThat(port.path("device_id").asText()).as("bound to its server").isEqualTo(serverId);
      scripts.add(cloud.userData(name));
    }
    // Agents took DHCP addresses from .20 up, never an allocator's.
    assertThat(ports)
        .filteredOn(p -> !p.path("name").asText().endsWith("-port"))
        .filteredOn(p -> p.path("device_owner").asText().equals("compute:nova"))
        .extracting(p -> p.path("fixed_ips").get(0).path("ip_address").asText())
        .hasSize(2)
        .allMatch(a -> Integer.parseInt(a.substring(a.lastIndexOf('.') + 1)) >= 20);
    String agentsUrl = HaBootstrap.checkAllocators(scripts, addresses, 5050);
    assertThat(HaBootstrap.agentAllocatorUrl(cloud.userData("osha-linux-0"))).isEqualTo(agentsUrl);
    var state = new io.strata.provisioner.state.StateStore(stateDir).load("osha").orElseThrow();
    assertThat(state.nodes().get("osha-alloc-2").privateIp()).isEqualTo("10.50.0.12");
    assertThat(state.nodes().get("osha-alloc-2").publicIp()).startsWith("203.0.113.");

    // Destroy takes the ports too.
    try (var provider = cloud.provider(spec, gate())) {
      assertThat(applier(provider).destroy("osha").failures()).isEmpty();
    }
    assertThat(openstack().os.ports()).isEmpty();
    assertThat(cloud.tagged("osha")).isEmpty();
  }
}
