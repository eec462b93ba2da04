package io.strata.allocator.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.api.AgentId;
import io.strata.api.FrameworkId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Dominant Resource Fairness across roles and within a role. */
class DrfTest {

  /**
   * Mesos' ReservedDRF: reservations are offered within their role, fairly among its frameworks.
   */
  @Test
  void reservedResourcesCountTowardShares() {
    Fixture fx = new Fixture();
    AgentId a1 = fx.agent("a1", "cpus:1;mem:512|role1=cpus:100;mem:1024");
    FrameworkId f1 = fx.framework("f1", "role1");
    assertThat(fx.allocate())
        .containsExactly(
            new OfferGrant(
                f1, a1, "role1", Fixture.pool("cpus:1;mem:512|role1=cpus:100;mem:1024")));

    FrameworkId f2 = fx.framework("f2", "role2");
    AgentId a2 = fx.agent("a2", "cpus:2;mem:512");
    assertThat(fx.allocate())
        .extracting(OfferGrant::frameworkId, OfferGrant::agentId)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(f2, a2));
    AgentId a3 = fx.agent("a3", "cpus:2;mem:512");
    assertThat(fx.allocate())
        .extracting(OfferGrant::frameworkId, OfferGrant::agentId)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(f2, a3));

    FrameworkId f3 = fx.framework("f3", "role1");
    AgentId a4 = fx.agent("a4", "|role1=cpus:2;mem:1024");
    assertThat(fx.allocate())
        .containsExactly(new OfferGrant(f3, a4, "role1", Fixture.pool("|role1=cpus:2;mem:1024")));
  }

  @Test
  void unallocatedReservationsCountTowardTheRoleShare() {
    Fixture fx = new Fixture();
    FrameworkId f2 = FrameworkId.of("f2");
    fx.agent(
        "busy",
        Fixture.pool("cpus:2;mem:2048"),
        Map.of(f2, Map.of("role2", Fixture.pool("cpus:2;mem:2048"))));
    fx.framework("f2", "role2");
    fx.agent("reserved", "|role1=cpus:4;mem:4096");
    FrameworkId f1 = fx.framework("f1", "role1");
    OfferGrant reservation = fx.allocate().get(0);
    assertThat(reservation.frameworkId()).isEqualTo(f1);
    fx.decline(reservation, Duration.ofHours(1));
    // role1 holds 4 of 10 cpus reserved (unallocated), role2 2 of 10 allocated: role2 goes first.
    fx.agent("free", "cpus:4;mem:4096");
    assertThat(fx.allocate()).extracting(OfferGrant::frameworkId).containsExactly(f2);
    assertThat(fx.allocator.role("role1").orElseThrow().dominantShare()).isEqualTo(0.4);
  }

  /**
   * Frameworks within a role are ordered by their own share; ties by fewer allocations, then the
   * order they subscribed in.
   */
  @Test
  void withinARoleTheLowestShareFrameworkGoesFirst() {
    Fixture fx = new Fixture();
    AgentId a1 = fx.agent("a1", "cpus:2;mem:1024");
    FrameworkId fa = fx.framework("fa", "r");
    FrameworkId fb = fx.framework("fb", "r");
    // Tie at share 0 and no allocations: fa subscribed first.
    OfferGrant g = fx.allocate().get(0);
    assertThat(g.frameworkId()).isEqualTo(fa);
    fx.giveBack(g);
    // Same shares again (fa gave everything back) but fa has had one allocation more.
    assertThat(fx.allocate()).extracting(OfferGrant::frameworkId).containsExactly(fb);
    assertThat(a1).isNotNull();
  }

  /**
   * Equal shares and allocation counts: the framework that subscribed first goes first, whatever
   * the ids (random UUIDs in the server). Mesos breaks this tie by id, which is sequential there.
   */
  @Test
  void equalSharesInARoleFollowSubscriptionOrderNotIds() {
    for (long seed = 1; seed <= 5; seed++) {
      Fixture fx = new Fixture(AllocationSettings.DEFAULTS, seed);
      fx.agent("a1", "cpus:2;mem:1024");
      FrameworkId first = fx.framework("zz-first", "r");
      FrameworkId second = fx.framework("mm-second", "r");
      FrameworkId third = fx.framework("aa-third", "r");
      List<FrameworkId> served = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        OfferGrant g = fx.allocate().get(0);
        served.add(g.frameworkId());
        // Given back: shares are equal again, the served one has had one allocation more.
        fx.giveBack(g);
      }
      assertThat(served).as("seed %d", seed).containsExactly(first, second, third);
    }
  }

  /** A framework first named by an agent's report takes its place when it is added, not before. */
  @Test
  void aFrameworkKnownFromAnAgentReportIsOrderedByWhenItIsAdded() {
    Fixture fx = new Fixture();
    FrameworkId early = FrameworkId.of("aa-reported");
    fx.agent(
        "used",
        Fixture.pool("cpus:2;mem:1024"),
        Map.of(early, Map.of("r", Fixture.pool("cpus:1;mem:512"))));
    FrameworkId later = fx.framework("zz-added-first", "r");
    fx.framework("aa-reported", "r");
    fx.allocator.removeAgent(AgentId.of("used"));
    fx.agent("a1", "cpus:2;mem:1024");
    // The report counted as one allocation of aa-reported: zz first, then both have had one.
    OfferGrant g = fx.allocate().get(0);
    assertThat(g.frameworkId()).isEqualTo(later);
    fx.giveBack(g);
    assertThat(fx.allocate()).extracting(OfferGrant::frameworkId).containsExactly(later);
    assertThat(fx.allocator.frameworkAllocated(early)).isNotNull();
  }

  /**
   * Hierarchical roles: siblings compete inside their parent, and parents by their subtree's share.
   * eng/web and eng/db each hold 0.15, ops 0.2; flat DRF would serve eng/web first, hierarchical
   * DRF serves ops (eng as a whole holds 0.3).
   */
  @Test
  void hierarchicalRolesCompeteByTheirSubtreeShare() {
    Fixture fx = new Fixture();
    FrameworkId web = FrameworkId.of("web");
    FrameworkId db = FrameworkId.of("db");
    FrameworkId ops = FrameworkId.of("ops");
    fx.agent(
        "used",
        Fixture.pool("cpus:50;mem:50000"),
        Map.of(
            web, Map.of("eng/web", Fixture.pool("cpus:15;mem:15000")),
            db, Map.of("eng/db", Fixture.pool("cpus:15;mem:15000")),
            ops, Map.of("ops", Fixture.pool("cpus:20;mem:20000"))));
    fx.framework("web", "eng/web");
    fx.framework("db", "eng/db");
    fx.framework("ops", "ops");
    fx.agent("free", "cpus:50;mem:50000");
    assertThat(fx.allocate()).extracting(OfferGrant::frameworkId).containsExactly(ops);
    assertThat(fx.allocator.role("eng").orElseThrow().dominantShare()).isEqualTo(0.3);
    assertThat(fx.allocator.role("eng/web").orElseThrow().frameworks()).containsExactly(web);
  }

  @Test
  void aRolesOwnFrameworksCompeteWithItsChildren() {
    Fixture fx = new Fixture();
    FrameworkId parent = FrameworkId.of("parent");
    FrameworkId child = FrameworkId.of("child");
    fx.agent(
        "used",
        Fixture.pool("cpus:5;mem:5000"),
        Map.of(child, Map.of("eng/web", Fixture.pool("cpus:5;mem:5000"))));
    fx.framework("parent", "eng");
    fx.framework("child", "eng/web");
    fx.agent("free", "cpus:10;mem:10000");
    // eng's own frameworks (share 0) go before eng/web (1/3).
    assertThat(fx.allocate()).extracting(OfferGrant::frameworkId).containsExactly(parent);
    assertThat(child).isNotNull();
  }
}
