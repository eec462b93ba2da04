package io.strata.allocator.core;

import static io.strata.allocator.core.OfferFilterTest.single;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import io.strata.api.AgentId;
import io.strata.api.FrameworkId;
import io.strata.api.Resources;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Static and dynamic reservations. */
class ReservationTest {
  private final Fixture fx = new Fixture();

  @Test
  void reservedResourcesGoOnlyToTheirRole() {
    AgentId a = fx.agent("a", "cpus:1;mem:512|r1=cpus:2;mem:1024");
    FrameworkId f2 = fx.framework("f2", "r2");
    assertThat(single(fx.allocate()))
        .isEqualTo(new OfferGrant(f2, a, "r2", Fixture.pool("cpus:1;mem:512")));
    FrameworkId f1 = fx.framework("f1", "r1");
    assertThat(single(fx.allocate()))
        .isEqualTo(new OfferGrant(f1, a, "r1", Fixture.pool("|r1=cpus:2;mem:1024")));
  }

  @Test
  void aRoleMayUseItsAncestorsReservations() {
    AgentId a = fx.agent("a", "|eng=cpus:2;mem:1024");
    fx.framework("ops", "ops");
    FrameworkId web = fx.framework("web", "eng/web");
    assertThat(single(fx.allocate()))
        .isEqualTo(new OfferGrant(web, a, "eng/web", Fixture.pool("|eng=cpus:2;mem:1024")));
  }

  @Test
  void reserveAndUnreserveChangeTheAgentsTotal() {
    AgentId a = fx.agent("a", "cpus:4;mem:4096");
    FrameworkId f = fx.framework("f", "r1");
    fx.framework("g", "r2");
    OfferGrant g = single(fx.allocate());
    fx.allocator.reserve(f, a, "r1", Resources.parse("cpus:2;mem:2048"));
    assertThat(fx.allocator.agentTotal(a))
        .isEqualTo(Fixture.pool("cpus:2;mem:2048|r1=cpus:2;mem:2048"));
    assertThat(fx.allocator.frameworkAllocated(f)).isEqualTo(fx.allocator.agentTotal(a));
    assertThat(fx.allocator.role("r1").orElseThrow().reserved())
        .isEqualTo(Resources.parse("cpus:2;mem:2048"));
    fx.decline(new OfferGrant(f, a, "r1", fx.allocator.agentTotal(a)), Duration.ofHours(1));
    // Only the unreserved half is offered to the other role.
    assertThat(fx.allocate())
        .extracting(OfferGrant::frameworkId, OfferGrant::resources)
        .containsExactly(tuple(FrameworkId.of("g"), Fixture.pool("cpus:2;mem:2048")));
    assertThat(g).isNotNull();
  }

  @Test
  void unreserveReturnsResourcesToTheUnreservedPool() {
    AgentId a = fx.agent("a", "|r1=cpus:2;mem:1024");
    FrameworkId f = fx.framework("f", "r1");
    single(fx.allocate());
    fx.allocator.unreserve(f, a, "r1", Resources.parse("cpus:2;mem:1024"));
    assertThat(fx.allocator.agentTotal(a)).isEqualTo(Fixture.pool("cpus:2;mem:1024"));
    assertThat(fx.allocator.frameworkAllocated(f)).isEqualTo(Fixture.pool("cpus:2;mem:1024"));
    assertThat(fx.allocator.role("r1").orElseThrow().reserved()).isEqualTo(Resources.EMPTY);
  }

  @Test
  void reservingWhatIsNotHeldIsAFault() {
    AgentId a = fx.agent("a", "cpus:1;mem:512");
    FrameworkId f = fx.framework("f", "r1");
    single(fx.allocate());
    assertThatThrownBy(() -> fx.allocator.reserve(f, a, "r1", Resources.parse("cpus:2;mem:1")))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> fx.allocator.reserve(f, a, "r1", "r2", Resources.parse("cpus:1")))
        .isInstanceOf(IllegalArgumentException.class);
    fx.allocator.reserve(f, a, "r1", "r1/sub", Resources.parse("cpus:1"));
    assertThat(fx.allocator.agentTotal(a)).isEqualTo(Fixture.pool("mem:512|r1/sub=cpus:1"));
    assertThatThrownBy(() -> fx.allocator.unreserve(f, a, "r1", Resources.parse("cpus:1")))
        .isInstanceOf(IllegalStateException.class);
  }
}
