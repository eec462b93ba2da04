package io.strata.allocator.core;

import static io.strata.allocator.core.OfferFilterTest.single;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.api.AgentId;
import io.strata.api.FrameworkId;
import io.strata.api.ResourcePool;
import io.strata.api.Resources;
import io.strata.api.operator.Quota;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An agent whose total shrinks below what is allocated on it (it re-registered with fewer resources
 * than its tasks use): the total is accepted, as Mesos does, and nothing beyond it is offered.
 */
class OvercommitTest {
  final Fixture fx = new Fixture();

  /** The framework holds {@code used} of the agent it was offered whole (a task's resources). */
  private OfferGrant holding(AgentId a, FrameworkId f, String used) {
    OfferGrant g = single(fx.allocate());
    ResourcePool rest = g.resources().minus(Fixture.pool(used));
    fx.allocator.recoverResources(f, a, g.role(), rest, Duration.ofDays(1), fx.now);
    return g;
  }

  @Test
  void aSmallerTotalIsAcceptedAndOnlyWhatItHasBeyondTheTasksIsOffered() {
    AgentId a = fx.agent("a", "cpus:4;mem:4096;ports:[31000-31010]");
    FrameworkId f = fx.framework("f", "role");
    holding(a, f, "cpus:3;mem:1024;ports:[31000-31001]");

    fx.allocator.updateAgentTotal(a, Fixture.pool("cpus:2;mem:2048;ports:[31000-31005]"));

    assertThat(fx.allocator.agentTotal(a))
        .isEqualTo(Fixture.pool("cpus:2;mem:2048;ports:[31000-31005]"));
    assertThat(fx.allocator.agentAllocated(a))
        .isEqualTo(Fixture.pool("cpus:3;mem:1024;ports:[31000-31001]"));
    assertThat(fx.allocator.agentOvercommitted(a)).isEqualTo(Resources.parse("cpus:1"));
    // No CPU is free (it is over-committed); the memory and ports it still has beyond the tasks
    // are.
    assertThat(fx.allocator.agentAvailable(a))
        .isEqualTo(Fixture.pool("cpus:0;mem:1024;ports:[31002-31005]"));

    FrameworkId g = fx.framework("g", "other");
    assertThat(single(fx.allocate()))
        .isEqualTo(
            new OfferGrant(g, a, "other", Fixture.pool("cpus:0;mem:1024;ports:[31002-31005]")));
    assertThat(fx.allocator.agentAvailable(a).isEmpty()).isTrue();
    assertThat(fx.allocate()).isEmpty();
  }

  @Test
  void releasingTasksBringsTheAgentBackToExactAccounting() {
    AgentId a = fx.agent("a", "cpus:4;mem:4096");
    FrameworkId f = fx.framework("f", "role");
    holding(a, f, "cpus:3;mem:1024");
    fx.allocator.updateAgentTotal(a, Fixture.pool("cpus:2;mem:2048"));

    // Once 1 cpu is released the tasks fit exactly: accounting is exact again, no CPU free.
    fx.allocator.recoverResources(f, a, "role", Fixture.pool("cpus:1;mem:0"), null, null);
    assertThat(fx.allocator.agentOvercommitted(a).isEmpty()).isTrue();
    assertThat(fx.allocator.agentAvailable(a)).isEqualTo(Fixture.pool("cpus:0;mem:1024"));

    fx.allocator.recoverResources(f, a, "role", Fixture.pool("cpus:1;mem:512"), null, null);
    assertThat(fx.allocator.agentAllocated(a)).isEqualTo(Fixture.pool("cpus:1;mem:512"));
    assertThat(fx.allocator.agentAvailable(a)).isEqualTo(Fixture.pool("cpus:1;mem:1536"));
    assertThat(fx.allocator.agentOvercommitted(a).isEmpty()).isTrue();
    // And a larger total again is offered in full.
    fx.allocator.updateAgentTotal(a, Fixture.pool("cpus:4;mem:4096"));
    assertThat(fx.allocator.agentAvailable(a)).isEqualTo(Fixture.pool("cpus:3;mem:3584"));
  }

  @Test
  void anAgentReportingMoreInUseThanItHasStartsOverCommitted() {
    FrameworkId f = FrameworkId.of("f");
    AgentId a =
        fx.agent(
            "a",
            Fixture.pool("cpus:1;mem:1024"),
            Map.of(f, Map.of("role", Fixture.pool("cpus:2;mem:256"))));
    assertThat(fx.allocator.agentOvercommitted(a)).isEqualTo(Resources.parse("cpus:1"));
    assertThat(fx.allocator.agentAvailable(a)).isEqualTo(Fixture.pool("cpus:0;mem:768"));
    assertThat(fx.allocator.clusterTotal()).isEqualTo(Resources.parse("cpus:1;mem:1024"));
  }

  @Test
  void aReservationThatVanishedWhileHeldIsBackedByTheUnreservedPart() {
    AgentId a = fx.agent("a", "cpus:2;mem:1024|role=cpus:2;mem:1024");
    FrameworkId f = fx.framework("f", "role");
    holding(a, f, "cpus:0;mem:0|role=cpus:2;mem:1024");

    // Re-registered without the reservation: the task still holds 2 cpus of it.
    fx.allocator.updateAgentTotal(a, Fixture.pool("cpus:4;mem:2048"));

    // Physically nothing is over-committed, but the 2 reserved cpus in use come out of the
    // unreserved 4: only 2 are free, not 4.
    assertThat(fx.allocator.agentOvercommitted(a).isEmpty()).isTrue();
    assertThat(fx.allocator.agentAvailable(a)).isEqualTo(Fixture.pool("cpus:2;mem:1024"));
    // A reservation cannot be converted out of a total that no longer has it.
    assertThatThrownBy(() -> fx.allocator.unreserve(f, a, "role", Resources.parse("cpus:1;mem:0")))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void quotaHeadroomCountsWhatIsReallyFreeOnOverCommittedAgents() {
    AgentId a = fx.agent("a", "cpus:2;mem:1024|role=cpus:2;mem:1024");
    FrameworkId f = fx.framework("f", "role");
    holding(a, f, "cpus:0;mem:0|role=cpus:2;mem:1024");
    fx.allocator.updateAgentTotal(a, Fixture.pool("cpus:4;mem:2048"));
    // 2 cpus are really free; a guarantee of 2 cpus for "g" must hold all of them back from "h".
    fx.allocator.setQuota("g", new Quota(Resources.parse("cpus:2"), null));
    FrameworkId h = fx.framework("h", "h");
    assertThat(single(fx.allocate()))
        .isEqualTo(new OfferGrant(h, a, "h", Fixture.pool("cpus:0;mem:1024")));
    FrameworkId g = fx.framework("g", "g");
    assertThat(single(fx.allocate()))
        .isEqualTo(new OfferGrant(g, a, "g", Fixture.pool("cpus:2;mem:0")));
  }
}
