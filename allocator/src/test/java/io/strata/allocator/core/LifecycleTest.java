package io.strata.allocator.core;

import static io.strata.allocator.core.OfferFilterTest.single;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.api.AgentId;
import io.strata.api.FrameworkId;
import io.strata.api.FrameworkInfo;
import io.strata.api.ResourcePool;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Agents and frameworks coming, going, pausing; suppression; faults on misuse. */
class LifecycleTest {
  private final Fixture fx = new Fixture();

  @Test
  void aDeactivatedAgentIsNotOfferedButKeepsItsAllocations() {
    AgentId a = fx.agent("a", "cpus:2;mem:1024");
    FrameworkId f = fx.framework("f", "role");
    OfferGrant g = single(fx.allocate());
    fx.decline(new OfferGrant(f, a, "role", Fixture.pool("cpus:1;mem:512")), null);
    fx.allocator.deactivateAgent(a);
    assertThat(fx.allocate()).isEmpty();
    assertThat(fx.allocator.agentAllocated(a)).isEqualTo(Fixture.pool("cpus:1;mem:512"));
    assertThat(fx.allocator.isAgentActive(a)).isFalse();
    assertThat(fx.allocator.clusterTotal()).isEqualTo(g.resources().total());
    fx.allocator.activateAgent(a);
    assertThat(single(fx.allocate()).resources()).isEqualTo(Fixture.pool("cpus:1;mem:512"));
  }

  @Test
  void removingAnAgentDropsItsAllocationsAndTotal() {
    AgentId a = fx.agent("a", "cpus:2;mem:1024");
    FrameworkId f = fx.framework("f", "role");
    single(fx.allocate());
    fx.allocator.removeAgent(a);
    assertThat(fx.allocator.frameworkAllocated(f)).isEqualTo(ResourcePool.EMPTY);
    assertThat(fx.allocator.clusterTotal().millicpus()).isZero();
    assertThat(fx.allocator.hasAgent(a)).isFalse();
    // Recovering an offer of a removed agent is a no-op, as in Mesos (rescinds race removals).
    fx.allocator.recoverResources(f, a, "role", Fixture.pool("cpus:2;mem:1024"), null, fx.now);
    assertThat(fx.allocate()).isEmpty();
  }

  @Test
  void aDisconnectedFrameworkGetsNoOffersAndKeepsWhatItHolds() {
    fx.agent("a", "cpus:2;mem:1024");
    FrameworkId f = fx.framework("f", "role");
    OfferGrant g = single(fx.allocate());
    fx.allocator.deactivateFramework(f);
    fx.giveBack(new OfferGrant(f, g.agentId(), "role", Fixture.pool("cpus:1;mem:512")));
    assertThat(fx.allocate()).isEmpty();
    assertThat(fx.allocator.frameworkAllocated(f)).isEqualTo(Fixture.pool("cpus:1;mem:512"));
    fx.allocator.activateFramework(f);
    assertThat(single(fx.allocate()).resources()).isEqualTo(Fixture.pool("cpus:1;mem:512"));
  }

  @Test
  void removingAFrameworkFreesEverythingItHeld() {
    AgentId a = fx.agent("a", "cpus:2;mem:1024");
    FrameworkId f1 = fx.framework("f1", "role");
    single(fx.allocate());
    FrameworkId f2 = fx.framework("f2", "role");
    assertThat(fx.allocate()).isEmpty();
    fx.allocator.removeFramework(f1);
    assertThat(single(fx.allocate()))
        .isEqualTo(new OfferGrant(f2, a, "role", fx.allocator.agentTotal(a)));
    assertThat(fx.allocator.hasFramework(f1)).isFalse();
  }

  @Test
  void suppressedRolesGetNoOffersOtherRolesDo() {
    fx.agent("a", "cpus:1;mem:512");
    FrameworkId f = fx.framework("f", "r1", "r2");
    fx.allocator.suppress(f, Set.of("r1"));
    assertThat(single(fx.allocate()).role()).isEqualTo("r2");
    assertThat(fx.allocator.suppressedRoles(f)).containsExactly("r1");
  }

  @Test
  void suppressingAllRolesStopsOffersAndReviveRestoresThem() {
    fx.agent("a", "cpus:1;mem:512");
    FrameworkId f = fx.framework("f", "r1", "r2");
    fx.allocator.suppress(f, Set.of());
    assertThat(fx.allocate()).isEmpty();
    fx.allocator.revive(f, Set.of("r2"));
    assertThat(single(fx.allocate()).role()).isEqualTo("r2");
  }

  @Test
  void suppressingAnUnknownRoleIsRejected() {
    FrameworkId f = fx.framework("f", "r1");
    assertThatThrownBy(() -> fx.allocator.suppress(f, Set.of("r9")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("r9");
  }

  @Test
  void updatingAFrameworkMovesItToNewRolesAndKeepsOldAllocationsCounted() {
    AgentId a = fx.agent("a", "cpus:2;mem:1024");
    FrameworkId f = fx.framework("f", "old");
    single(fx.allocate());
    fx.allocator.updateFramework(f, Fixture.frameworkInfo("f", Set.of(), "new"), Set.of());
    assertThat(fx.allocator.role("old").orElseThrow().frameworks()).containsExactly(f);
    fx.giveBack(new OfferGrant(f, a, "old", Fixture.pool("cpus:2;mem:1024")));
    OfferGrant g = single(fx.allocate());
    assertThat(g.role()).isEqualTo("new");
    assertThat(fx.allocator.role("old")).isEmpty();
  }

  @Test
  void anAgentsReportOfUsedResourcesCountsBeforeTheFrameworkIsAdded() {
    FrameworkId old = FrameworkId.of("old");
    AgentId a =
        fx.agent(
            "a",
            Fixture.pool("cpus:4;mem:4096"),
            Map.of(old, Map.of("role", Fixture.pool("cpus:3;mem:3072"))));
    assertThat(fx.allocator.hasFramework(old)).isFalse();
    assertThat(fx.allocator.frameworkAllocated(old)).isEqualTo(Fixture.pool("cpus:3;mem:3072"));
    // When it comes back with the same allocation, the agent's report stands (not doubled).
    fx.allocator.addFramework(
        old,
        Fixture.frameworkInfo("old", Set.of(), "role"),
        Map.of(a, Map.of("role", Fixture.pool("cpus:3;mem:3072"))),
        true,
        Set.of());
    assertThat(fx.allocator.agentAvailable(a)).isEqualTo(Fixture.pool("cpus:1;mem:1024"));
    assertThat(single(fx.allocate()).frameworkId()).isEqualTo(old);
  }

  @Test
  void aFrameworkAddedWithUsedResourcesHoldsThem() {
    AgentId a = fx.agent("a", "cpus:4;mem:4096");
    FrameworkId f = FrameworkId.of("f");
    fx.allocator.addFramework(
        f,
        Fixture.frameworkInfo("f", Set.of(), "role"),
        Map.of(a, Map.of("role", Fixture.pool("cpus:1;mem:1024"))),
        false,
        Set.of());
    assertThat(fx.allocator.agentAvailable(a)).isEqualTo(Fixture.pool("cpus:3;mem:3072"));
    assertThat(fx.allocate()).isEmpty();
    assertThat(fx.allocator.isFrameworkActive(f)).isFalse();
  }

  @Test
  void givingBackMoreThanHeldIsAFaultAndChangesNothing() {
    AgentId a = fx.agent("a", "cpus:2;mem:1024");
    FrameworkId f = fx.framework("f", "role");
    OfferGrant g = single(fx.allocate());
    assertThatThrownBy(
            () -> fx.giveBack(new OfferGrant(f, a, "role", Fixture.pool("cpus:3;mem:1024"))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cannot give back");
    assertThat(fx.allocator.agentAllocated(a)).isEqualTo(g.resources());
    assertThatThrownBy(
            () -> fx.giveBack(new OfferGrant(f, a, "other", Fixture.pool("cpus:1;mem:1"))))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void unknownAndDuplicateIdsAreFaults() {
    AgentId a = fx.agent("a", "cpus:2;mem:1024");
    FrameworkId f = fx.framework("f", "role");
    assertThatThrownBy(() -> fx.agent("a", "cpus:1;mem:1"))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> fx.framework("f", "role")).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> fx.allocator.removeAgent(AgentId.of("nope")))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> fx.allocator.deactivateFramework(FrameworkId.of("nope")))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(
            () ->
                fx.allocator.addFramework(
                    FrameworkId.of("g"),
                    Fixture.frameworkInfo("g", Set.of(), "role"),
                    Map.of(AgentId.of("nope"), Map.of("role", Fixture.pool("cpus:1;mem:1"))),
                    true,
                    Set.of()))
        .isInstanceOf(IllegalStateException.class);
    assertThat(fx.allocator.hasFramework(FrameworkId.of("g"))).isFalse();
    assertThatThrownBy(
            () ->
                fx.allocator.addFramework(
                    FrameworkId.of("h"),
                    Fixture.frameworkInfo("other", Set.of(), "role"),
                    Map.of(),
                    true,
                    Set.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> fx.allocator.setWeight("role", 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> fx.allocator.setWeight("Bad Role", 1))
        .isInstanceOf(RuntimeException.class);
    assertThat(a).isNotNull();
    assertThat(f).isNotNull();
  }

  @Test
  void updatingAnAgentsTotalKeepsAllocationsAndOffersTheDifference() {
    AgentId a = fx.agent("a", "cpus:2;mem:1024");
    FrameworkId f = fx.framework("f", "role");
    single(fx.allocate());
    fx.allocator.updateAgentTotal(a, Fixture.pool("cpus:4;mem:2048"));
    assertThat(single(fx.allocate()))
        .isEqualTo(new OfferGrant(f, a, "role", Fixture.pool("cpus:2;mem:1024")));
    assertThat(fx.allocator.agentTotal(a)).isEqualTo(Fixture.pool("cpus:4;mem:2048"));
  }

  @Test
  void addingAnAgentExaminesOnlyThatAgent() {
    fx.framework("f", "role");
    for (int i = 0; i < 20; i++) {
      fx.agent("a" + i, "cpus:1;mem:512");
    }
    assertThat(fx.allocate()).hasSize(20);
    fx.agent("new", "cpus:1;mem:512");
    assertThat(single(fx.allocate()).agentId()).isEqualTo(AgentId.of("new"));
    assertThat(fx.allocator.lastCycle().agentsConsidered()).isEqualTo(1);
  }

  @Test
  void nextWakeupAndHasWorkTellTheServerWhenToRun() {
    Fixture batched =
        new Fixture(AllocationSettings.DEFAULTS.withMinInterval(Duration.ofMillis(200)), 1);
    assertThat(batched.allocator.nextWakeup()).isEmpty();
    batched.agent("a", "cpus:1;mem:512");
    batched.framework("f", "role");
    assertThat(batched.allocator.hasWork()).isTrue();
    OfferGrant g = single(batched.allocate());
    assertThat(batched.allocator.hasWork()).isFalse();
    assertThat(batched.allocator.nextWakeup()).isEmpty();
    batched.decline(g, Duration.ofSeconds(5));
    // Work (the declined agent) but nothing offerable; next run no sooner than the interval.
    assertThat(batched.allocator.nextWakeup()).contains(batched.now.plusMillis(200));
    batched.advance(Duration.ofMillis(200));
    assertThat(batched.allocate()).isEmpty();
    assertThat(batched.allocator.hasWork()).isFalse();
    assertThat(batched.allocator.nextWakeup()).contains(batched.now.plusMillis(4800));
  }

  @Test
  void aFrameworkOnlyKnownFromAgentReportsCanBeRemoved() {
    FrameworkId gone = FrameworkId.of("gone");
    AgentId a =
        fx.agent(
            "a",
            Fixture.pool("cpus:2;mem:1024"),
            Map.of(gone, Map.of("role", Fixture.pool("cpus:1;mem:512"))));
    fx.allocator.removeFramework(gone);
    assertThat(fx.allocator.agentAvailable(a)).isEqualTo(fx.allocator.agentTotal(a));
    assertThat(fx.allocator.frameworkAllocations(gone)).isEmpty();
  }

  @Test
  void addingAFrameworkWithUsedResourcesThatAreNotFreeChangesNothing() {
    AgentId a = fx.agent("a", "cpus:2;mem:1024");
    AgentId b = fx.agent("b", "cpus:2;mem:1024");
    FrameworkId f = FrameworkId.of("f");
    assertThatThrownBy(
            () ->
                fx.allocator.addFramework(
                    f,
                    Fixture.frameworkInfo("f", Set.of(), "role"),
                    Map.of(
                        a, Map.of("role", Fixture.pool("cpus:1;mem:512")),
                        b, Map.of("role", Fixture.pool("cpus:3;mem:512"))),
                    true,
                    Set.of()))
        .isInstanceOf(IllegalStateException.class);
    assertThat(fx.allocator.hasFramework(f)).isFalse();
    assertThat(fx.allocator.agentAvailable(a)).isEqualTo(fx.allocator.agentTotal(a));
  }

  @Test
  void placeholderFrameworksCanBeRemoved() {
    FrameworkId gone = FrameworkId.of("gone");
    AgentId a =
        fx.agent(
            "a",
            Fixture.pool("cpus:2;mem:1024"),
            Map.of(gone, Map.of("role", Fixture.pool("cpus:1;mem:512"))));
    fx.allocator.recoverResources(gone, a, "role", Fixture.pool("cpus:1;mem:512"), null, null);
    assertThat(fx.allocator.frameworkAllocated(gone)).isEqualTo(ResourcePool.EMPTY);
    assertThat(fx.allocator.agentAvailable(a)).isEqualTo(fx.allocator.agentTotal(a));
    assertThat(FrameworkInfo.DEFAULT_FAILOVER_TIMEOUT_MILLIS).isPositive();
  }
}
