package io.strata.allocator.core;

import static io.strata.allocator.core.OfferFilterTest.single;
import static org.assertj.core.api.Assertions.assertThat;

import io.strata.api.AgentId;
import io.strata.api.FrameworkId;
import io.strata.api.Resources;
import io.strata.api.operator.Quota;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Quota guarantees (stage one, headroom) and limits. */
class QuotaTest {
  private final Fixture fx = new Fixture();

  private static Quota guarantee(String r) {
    return new Quota(Resources.parse(r), null);
  }

  @Test
  void unmetGuaranteesAreServedBeforeFairShares() {
    FrameworkId other = fx.framework("other", "other");
    FrameworkId q = fx.framework("q", "q");
    fx.allocator.setQuota("q", guarantee("cpus:2;mem:1024"));
    for (int i = 0; i < 3; i++) {
      fx.agent("a" + i, "cpus:1;mem:512");
    }
    List<OfferGrant> grants = fx.allocate();
    // Without quota "other" (first by name) would get two agents; with it q gets its two first.
    assertThat(grants).extracting(OfferGrant::frameworkId).containsExactly(q, q, other);
  }

  @Test
  void headroomForAnUnmetGuaranteeIsNotOfferedToOthers() {
    fx.allocator.setQuota("q", guarantee("cpus:1;mem:512"));
    FrameworkId other = fx.framework("other", "other");
    fx.agent("a1", "cpus:1;mem:512");
    fx.agent("a2", "cpus:1;mem:512");
    assertThat(single(fx.allocate()).frameworkId()).isEqualTo(other);
    assertThat(fx.allocate()).isEmpty();
    // The guaranteed role's framework arrives and gets what was held back for it.
    FrameworkId q = fx.framework("q", "q");
    assertThat(single(fx.allocate()).frameworkId()).isEqualTo(q);
  }

  @Test
  void headroomShrinksAnOfferRatherThanWithholdingTheAgent() {
    fx.allocator.setQuota("q", guarantee("cpus:1;mem:512"));
    fx.framework("other", "other");
    fx.agent("big", "cpus:4;mem:2048");
    OfferGrant g = single(fx.allocate());
    assertThat(g.resources()).isEqualTo(Fixture.pool("cpus:3;mem:1536"));
  }

  @Test
  void reservationsCountAsConsumedGuarantee() {
    fx.allocator.setQuota("q", guarantee("cpus:1;mem:512"));
    fx.agent("res", "|q=cpus:1;mem:512");
    FrameworkId other = fx.framework("other", "other");
    fx.agent("free", "cpus:1;mem:512");
    // q's reservation meets its guarantee: no headroom is held back.
    assertThat(single(fx.allocate()).frameworkId()).isEqualTo(other);
  }

  @Test
  void aLimitTrimsTheOfferAndIsNeverExceeded() {
    fx.allocator.setQuota("l", new Quota(Resources.EMPTY, Resources.parse("cpus:1;mem:1024")));
    FrameworkId f = fx.framework("f", "l");
    AgentId a = fx.agent("a", "cpus:4;mem:4096;disk:100");
    OfferGrant g = single(fx.allocate());
    // Disk is not limited (zero in the limit means no limit on it).
    assertThat(g.resources()).isEqualTo(Fixture.pool("cpus:1;mem:1024;disk:100"));
    assertThat(fx.allocate()).isEmpty();
    fx.giveBack(g);
    assertThat(single(fx.allocate()).resources()).isEqualTo(g.resources());
    // Raising the limit lets the rest be offered.
    fx.allocator.setQuota("l", new Quota(Resources.EMPTY, Resources.parse("cpus:4;mem:4096")));
    assertThat(single(fx.allocate()))
        .isEqualTo(new OfferGrant(f, a, "l", Fixture.pool("cpus:3;mem:3072")));
  }

  @Test
  void aLimitOfZeroAllowsNoneOfThatKindAndAnAbsentKindIsUnlimited() {
    fx.allocator.setQuota("l", Resources.EMPTY, new QuotaLimit(0L, null, null, null));
    FrameworkId f = fx.framework("f", "l");
    AgentId a = fx.agent("a", "cpus:4;mem:4096;disk:100");
    // No CPU at all; memory and disk are not limited.
    assertThat(single(fx.allocate()))
        .isEqualTo(new OfferGrant(f, a, "l", Fixture.pool("mem:4096;disk:100")));
    assertThat(fx.allocate()).isEmpty();
    assertThat(fx.allocator.quotaLimit("l")).isEqualTo(new QuotaLimit(0L, null, null, null));
  }

  @Test
  void aRoleLimitedToNothingGetsNoOffersAndOthersGetTheAgent() {
    fx.allocator.setQuota("l", Resources.EMPTY, new QuotaLimit(0L, 0L, 0L, 0L));
    fx.framework("f", "l");
    FrameworkId other = fx.framework("other", "other");
    fx.agent("a", "cpus:4;mem:4096;disk:100");
    assertThat(single(fx.allocate()).frameworkId()).isEqualTo(other);
    assertThat(fx.allocator.role("l").orElseThrow().allocated().total()).isEqualTo(Resources.EMPTY);
  }

  @Test
  void aParentsLimitOfZeroCapsItsChildren() {
    fx.allocator.setQuota("eng", Resources.EMPTY, new QuotaLimit(0L, 0L, 0L, 0L));
    fx.framework("web", "eng/web");
    fx.agent("a1", "cpus:2;mem:2048");
    assertThat(fx.allocate()).isEmpty();
    // Lifting the limit (absent = unlimited) lets the child be offered the agent.
    fx.allocator.setQuota("eng", Resources.EMPTY, QuotaLimit.NONE);
    assertThat(fx.allocate()).hasSize(1);
  }

  @Test
  void theLegacyFormReadsZeroAsNoLimit() {
    assertThat(QuotaLimit.fromLegacy(Resources.parse("cpus:1")))
        .isEqualTo(new QuotaLimit(1000L, null, null, null));
    assertThat(QuotaLimit.fromLegacy(null)).isEqualTo(QuotaLimit.NONE);
    assertThat(QuotaLimit.fromLegacy(Resources.EMPTY)).isEqualTo(QuotaLimit.NONE);
  }

  @Test
  void aGuaranteeAboveALimitOfZeroIsRefused() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                fx.allocator.setQuota(
                    "l", Resources.parse("cpus:1"), new QuotaLimit(0L, null, null, null)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cpus");
  }

  @Test
  void aParentsLimitCapsItsChildren() {
    fx.allocator.setQuota("eng", new Quota(Resources.EMPTY, Resources.parse("cpus:2;mem:2048")));
    fx.framework("web", "eng/web");
    fx.framework("db", "eng/db");
    fx.agent("a1", "cpus:2;mem:2048");
    fx.agent("a2", "cpus:2;mem:2048");
    List<OfferGrant> grants = fx.allocate();
    assertThat(grants).hasSize(1);
    assertThat(fx.allocator.role("eng").orElseThrow().allocated().total())
        .isEqualTo(Resources.parse("cpus:2;mem:2048"));
  }

  @Test
  void freedResourcesGiveHeldBackAgentsAnotherLook() {
    fx.allocator.setQuota("l", new Quota(Resources.EMPTY, Resources.parse("cpus:1;mem:512")));
    FrameworkId f = fx.framework("f", "l");
    fx.agent("a1", "cpus:1;mem:512");
    fx.agent("a2", "cpus:1;mem:512");
    OfferGrant g = single(fx.allocate());
    fx.decline(g, Duration.ofHours(1));
    // The other agent was held back by the limit; now the limit has room again.
    OfferGrant next = single(fx.allocate());
    assertThat(next.frameworkId()).isEqualTo(f);
    assertThat(next.agentId()).isNotEqualTo(g.agentId());
  }

  @Test
  void quotaIsVisibleInTheRoleView() {
    Quota quota = new Quota(Resources.parse("cpus:1;mem:512"), Resources.parse("cpus:2;mem:1024"));
    fx.allocator.setQuota("q", quota);
    assertThat(fx.allocator.quota("q")).isEqualTo(quota);
    assertThat(fx.allocator.role("q").orElseThrow().quota()).isEqualTo(quota);
    fx.allocator.setQuota("q", Quota.NONE);
    assertThat(fx.allocator.role("q")).isEmpty();
  }
}
