package io.strata.allocator.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.api.AgentId;
import io.strata.api.FrameworkId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** DECLINE filters: refuse durations, subset semantics, expiry, revive. */
class OfferFilterTest {
  private final Fixture fx = new Fixture();

  @Test
  void aDeclinedAgentIsNotOfferedAgainUntilTheFilterExpires() {
    AgentId a = fx.agent("a", "cpus:1;mem:512");
    FrameworkId f = fx.framework("f", "role");
    OfferGrant g = single(fx.allocate());
    fx.decline(g, Duration.ofSeconds(10));

    assertThat(fx.allocate()).isEmpty();
    assertThat(fx.allocator.nextWakeup()).contains(fx.now.plusSeconds(10));
    fx.advance(Duration.ofSeconds(9));
    assertThat(fx.allocate()).isEmpty();
    fx.advance(Duration.ofSeconds(1));
    // Due now, but this is the first cycle since: it still applies (as Mesos, MESOS-4302); the
    // server is woken again just after, and that cycle offers.
    assertThat(fx.allocate()).isEmpty();
    assertThat(fx.allocate()).as("a second cycle at the same instant changes nothing").isEmpty();
    Instant next = fx.allocator.nextWakeup().orElseThrow();
    assertThat(next).isAfter(fx.now);
    fx.advance(Duration.between(fx.now, next));
    assertThat(single(fx.allocate())).isEqualTo(new OfferGrant(f, a, "role", g.resources()));
  }

  @Test
  void aFilterHoweverShortBlocksTheNextCycle() {
    // Mesos' SmallOfferFilterTimeout: a filter shorter than the time to the next allocation still
    // keeps the declined resources from coming straight back.
    AgentId a = fx.agent("a", "cpus:1;mem:512");
    FrameworkId f = fx.framework("f", "role");
    OfferGrant g = single(fx.allocate());
    fx.decline(g, Duration.ofMillis(1));
    fx.advance(Duration.ofMinutes(1));
    assertThat(fx.allocate()).isEmpty();
    assertThat(fx.allocator.nextWakeup()).isPresent();
    fx.advance(Duration.ofMinutes(1));
    assertThat(single(fx.allocate())).isEqualTo(new OfferGrant(f, a, "role", g.resources()));
  }

  @Test
  void aFilterThatCameDueBetweenCyclesGoesAtTheNextOne() {
    AgentId a = fx.agent("a", "cpus:1;mem:512");
    FrameworkId f = fx.framework("f", "role");
    OfferGrant g = single(fx.allocate());
    fx.decline(g, Duration.ofMillis(500));
    fx.advance(Duration.ofMillis(100));
    assertThat(fx.allocate()).isEmpty();
    fx.advance(Duration.ofSeconds(1));
    assertThat(fx.allocate()).as("due since the last cycle: this one applies it").isEmpty();
    fx.advance(Duration.ofMillis(1));
    assertThat(single(fx.allocate())).isEqualTo(new OfferGrant(f, a, "role", g.resources()));
  }

  @Test
  void theFilterBlocksOtherFrameworksNot() {
    fx.agent("a", "cpus:1;mem:512");
    FrameworkId f1 = fx.framework("f1", "role");
    FrameworkId f2 = fx.framework("f2", "role");
    OfferGrant g = single(fx.allocate());
    assertThat(g.frameworkId()).isEqualTo(f1);
    fx.decline(g, Duration.ofHours(1));
    assertThat(single(fx.allocate()).frameworkId()).isEqualTo(f2);
  }

  @Test
  void aFilterOnlyBlocksOffersThatAreASubsetOfWhatWasRefused() {
    AgentId a = fx.agent("a", "cpus:2;mem:1024");
    FrameworkId f = fx.framework("f", "role");
    OfferGrant whole = single(fx.allocate());
    // The framework keeps half (a task) and declines the rest for an hour.
    fx.decline(new OfferGrant(f, a, "role", Fixture.pool("cpus:1;mem:512")), Duration.ofHours(1));
    assertThat(fx.allocate()).isEmpty();
    // The task ends: now more than what was refused is free, so the filter does not apply.
    fx.giveBack(new OfferGrant(f, a, "role", Fixture.pool("cpus:1;mem:512")));
    assertThat(single(fx.allocate()).resources()).isEqualTo(whole.resources());
  }

  @Test
  void reviveClearsTheFrameworksFilters() {
    fx.agent("a", "cpus:1;mem:512");
    FrameworkId f = fx.framework("f", "role");
    fx.decline(single(fx.allocate()), Duration.ofDays(1));
    assertThat(fx.allocate()).isEmpty();
    fx.allocator.revive(f, Set.of());
    assertThat(single(fx.allocate()).frameworkId()).isEqualTo(f);
  }

  @Test
  void filtersArePerRole() {
    fx.agent("a", "cpus:1;mem:512");
    FrameworkId f = fx.framework("f", "r1", "r2");
    OfferGrant first = single(fx.allocate());
    fx.decline(first, Duration.ofDays(1));
    OfferGrant second = single(fx.allocate());
    assertThat(second.frameworkId()).isEqualTo(f);
    assertThat(second.role()).isNotEqualTo(first.role());
  }

  @Test
  void zeroOrNoRefuseInstallsNoFilter() {
    fx.agent("a", "cpus:1;mem:512");
    fx.framework("f", "role");
    fx.decline(single(fx.allocate()), Duration.ZERO);
    fx.decline(single(fx.allocate()), null);
    assertThat(fx.allocate()).hasSize(1);
    assertThat(fx.allocator.offerFilterCount()).isZero();
  }

  @Test
  void refuseIsCappedAtTheMaximum() {
    Fixture capped =
        new Fixture(
            new AllocationSettings(
                Duration.ofSeconds(5),
                Duration.ofMinutes(1),
                AllocationSettings.DEFAULTS.minAllocatable(),
                true,
                Duration.ZERO),
            1);
    capped.agent("a", "cpus:1;mem:512");
    capped.framework("f", "role");
    capped.decline(single(capped.allocate()), Duration.ofDays(3650));
    assertThat(capped.allocate()).isEmpty();
    assertThat(capped.allocator.nextWakeup()).contains(capped.now.plusSeconds(60));
    capped.advance(Duration.ofMinutes(1));
    assertThat(capped.allocate()).isEmpty();
    capped.advance(Duration.ofMillis(1));
    assertThat(capped.allocate()).hasSize(1);
  }

  @Test
  void negativeRefuseIsRejected() {
    fx.agent("a", "cpus:1;mem:512");
    fx.framework("f", "role");
    OfferGrant g = single(fx.allocate());
    assertThatThrownBy(() -> fx.decline(g, Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    // Nothing changed: the resources are still held by the framework.
    assertThat(fx.allocator.agentAllocated(g.agentId())).isEqualTo(g.resources());
  }

  @Test
  void deactivatingAFrameworkDropsItsFilters() {
    fx.agent("a", "cpus:1;mem:512");
    FrameworkId f = fx.framework("f", "role");
    fx.decline(single(fx.allocate()), Duration.ofDays(1));
    assertThat(fx.allocator.offerFilterCount()).isEqualTo(1);
    fx.allocator.deactivateFramework(f);
    assertThat(fx.allocator.offerFilterCount()).isZero();
    assertThat(fx.allocate()).isEmpty();
    fx.allocator.activateFramework(f);
    assertThat(single(fx.allocate()).frameworkId()).isEqualTo(f);
  }

  @Test
  void changedAgentAttributesDropFiltersOnIt() {
    AgentId a = fx.agent("a", "cpus:1;mem:512");
    fx.framework("f", "role");
    fx.decline(single(fx.allocate()), Duration.ofDays(1));
    assertThat(fx.allocate()).isEmpty();
    var total = fx.allocator.agentTotal(a);
    fx.allocator.updateAgent(
        a,
        new io.strata.api.AgentInfo(
            "a",
            io.strata.api.Os.LINUX,
            "amd64",
            total,
            java.util.Map.of("zone", "b"),
            null,
            null,
            null));
    assertThat(fx.allocate()).hasSize(1);
  }

  @Test
  void everyFrameworkFilteredMakesTheCycleSkipTheAgent() {
    fx.agent("a", "cpus:1;mem:512");
    for (int i = 0; i < 5; i++) {
      fx.framework("f" + i, "role");
    }
    for (int i = 0; i < 5; i++) {
      fx.decline(single(fx.allocate()), Duration.ofDays(1));
    }
    assertThat(fx.allocate()).isEmpty();
    fx.allocator.reconsiderAllAgents();
    assertThat(fx.allocate()).isEmpty();
    assertThat(fx.allocator.lastCycle().agentsConsidered()).isEqualTo(1);
    assertThat(fx.allocator.lastCycle().agentsScanned()).isZero();
  }

  static OfferGrant single(List<OfferGrant> grants) {
    assertThat(grants).hasSize(1);
    return grants.get(0);
  }
}
