package io.strata.allocator.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.api.AgentId;
import io.strata.api.AgentInfo;
import io.strata.api.FrameworkId;
import io.strata.api.FrameworkInfo;
import io.strata.api.Os;
import io.strata.api.ResourcePool;
import io.strata.api.Resources;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Mesos' HierarchicalAllocatorTest.UnreservedDRF, step by step. */
class UnreservedDrfTest {
  private final HierarchicalAllocator allocator =
      new HierarchicalAllocator(AllocationSettings.DEFAULTS, 1);
  private final Instant now = Instant.parse("2024-01-01T00:00:00Z");
  private int agents;

  @Test
  void eachNewAgentGoesToTheLowestShareRoleAndFramework() {
    AgentId a1 = addAgent("cpus:2;mem:1024;disk:0");
    FrameworkId f1 = addFramework("f1", "role1");
    assertGrant(f1, a1, "cpus:2;mem:1024");

    FrameworkId f2 = addFramework("f2", "role2");
    assertThat(allocator.allocate(now)).isEmpty();
    AgentId a2 = addAgent("cpus:1;mem:512;disk:0");
    assertGrant(f2, a2, "cpus:1;mem:512");

    AgentId a3 = addAgent("cpus:3;mem:2048;disk:0");
    assertGrant(f2, a3, "cpus:3;mem:2048");

    FrameworkId f3 = addFramework("f3", "role1");
    assertThat(allocator.allocate(now)).isEmpty();
    AgentId a4 = addAgent("cpus:4;mem:4096;disk:0");
    assertGrant(f3, a4, "cpus:4;mem:4096");

    addFramework("f4", "role1");
    assertThat(allocator.allocate(now)).isEmpty();
    AgentId a5 = addAgent("cpus:1;mem:512;disk:0");
    // role2 (cpus 4 of 11, mem 2560 of 8192) is below role1 (6 of 11, 5120 of 8192).
    assertGrant(f2, a5, "cpus:1;mem:512");
  }

  private void assertGrant(FrameworkId fw, AgentId agent, String resources) {
    List<OfferGrant> grants = allocator.allocate(now);
    assertThat(grants)
        .containsExactly(
            new OfferGrant(
                fw,
                agent,
                grants.get(0).role(),
                ResourcePool.unreserved(Resources.parse(resources))));
  }

  private AgentId addAgent(String resources) {
    AgentId id = AgentId.of("agent" + ++agents);
    ResourcePool total = ResourcePool.unreserved(Resources.parse(resources));
    allocator.addAgent(
        id,
        new AgentInfo(id.value(), Os.LINUX, "amd64", total, null, null, null, null),
        total,
        Map.of());
    return id;
  }

  private FrameworkId addFramework(String name, String role) {
    FrameworkId id = FrameworkId.of(name);
    allocator.addFramework(
        id,
        new FrameworkInfo(id, name, "user", Set.of(role), null, null, null),
        Map.of(),
        true,
        Set.of());
    return id;
  }
}
