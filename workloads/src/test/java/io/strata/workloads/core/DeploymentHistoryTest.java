package io.strata.workloads.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.workloads.core.Revision.Outcome;
import java.time.Instant;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class DeploymentHistoryTest {
  static final Instant T0 = Instant.parse("2026-01-31T12:00:00Z");

  static DeploymentHistory<String> deploy(DeploymentHistory<String> h, long v) {
    return h.deployed(v, "spec" + v, T0.plusSeconds(v), "updated", "alice", false, 10);
  }

  @Test
  void aNewVersionDeploysAndSucceedsWhenComplete() {
    DeploymentHistory<String> h = deploy(DeploymentHistory.empty(), 1);
    assertThat(h.current().orElseThrow().outcome()).isEqualTo(Outcome.DEPLOYING);
    assertThat(h.observed(false, 0, null, T0)).isSameAs(h);
    h = h.observed(true, 0, null, T0.plusSeconds(5));
    Revision<String> r = h.current().orElseThrow();
    assertThat(r.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(r.outcomeAt()).isEqualTo(T0.plusSeconds(5));
    assertThat(r.by()).isEqualTo("alice");
    assertThat(h.observed(true, 0, null, T0.plusSeconds(9))).isSameAs(h);
  }

  @Test
  void repeatedFailuresBeforeCompletionFailTheDeploymentWhichMayStillSucceed() {
    DeploymentHistory<String> h = deploy(DeploymentHistory.empty(), 1);
    h = h.observed(false, DeploymentHistory.FAILURES_TO_FAIL - 1, "exit 1", T0);
    assertThat(h.current().orElseThrow().outcome()).isEqualTo(Outcome.DEPLOYING);
    h = h.observed(false, DeploymentHistory.FAILURES_TO_FAIL, "FAILED (exit 1)", T0);
    assertThat(h.current().orElseThrow().outcome()).isEqualTo(Outcome.FAILED);
    assertThat(h.current().orElseThrow().reason()).contains("3 instance failures", "exit 1");
    h = h.observed(true, 5, null, T0);
    assertThat(h.current().orElseThrow().outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(h.current().orElseThrow().reason()).isNull();
  }

  @Test
  void aNewerVersionSupersedesOneStillDeployingButKeepsFinishedOutcomes() {
    DeploymentHistory<String> h = deploy(deploy(DeploymentHistory.empty(), 1), 2);
    assertThat(h.get(1).orElseThrow().outcome()).isEqualTo(Outcome.SUPERSEDED);
    h = deploy(h.observed(true, 0, null, T0), 3);
    assertThat(h.get(2).orElseThrow().outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(h.revisions()).extracting(Revision::version).containsExactly(1L, 2L, 3L);
  }

  @Test
  void aRollbackMarksTheVersionItLeaves() {
    DeploymentHistory<String> h = deploy(deploy(DeploymentHistory.empty(), 1), 2);
    h = h.observed(true, 0, null, T0);
    Revision<String> target = h.rollbackTarget(null);
    assertThat(target.version()).isEqualTo(1);
    h = h.deployed(3, target.spec(), T0, "rollback to v1", "bob", true, 10);
    assertThat(h.get(2).orElseThrow().outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(h.current().orElseThrow().spec()).isEqualTo("spec1");
    assertThat(h.current().orElseThrow().cause()).isEqualTo("rollback to v1");
  }

  @Test
  void rollbackTargetsAreCheckedWithReasons() {
    assertThatThrownBy(() -> DeploymentHistory.<String>empty().rollbackTarget(null))
        .hasMessageContaining("no version");
    DeploymentHistory<String> one = deploy(DeploymentHistory.empty(), 1);
    assertThatThrownBy(() -> one.rollbackTarget(null)).hasMessageContaining("only version");
    DeploymentHistory<String> h = deploy(deploy(one, 2), 3);
    assertThat(h.rollbackTarget(1L).spec()).isEqualTo("spec1");
    assertThat(h.rollbackTarget(null).version()).isEqualTo(2);
    assertThatThrownBy(() -> h.rollbackTarget(3L)).hasMessageContaining("current");
    assertThatThrownBy(() -> h.rollbackTarget(7L))
        .hasMessageContaining("v7 is not in the history")
        .hasMessageContaining("[v1, v2, v3]");
  }

  @Test
  void onlyTheLastLimitRevisionsAreKept() {
    DeploymentHistory<String> h = DeploymentHistory.empty();
    for (long v = 1; v <= 15; v++) {
      h = h.deployed(v, "s" + v, T0, "updated", null, false, 4);
    }
    assertThat(h.revisions())
        .extracting(Revision::version)
        .containsExactlyElementsOf(LongStream.rangeClosed(12, 15).boxed().toList());
    h = h.deployed(16, "s16", T0, "updated", null, false, 0);
    assertThat(h.revisions()).extracting(Revision::version).containsExactly(16L);
  }

  @Test
  void versionsOnlyGrow() {
    DeploymentHistory<String> h = deploy(DeploymentHistory.empty(), 2);
    assertThatThrownBy(() -> deploy(h, 2)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aScaleKeepsTheVersionWithItsNewSpec() {
    DeploymentHistory<String> h = deploy(deploy(DeploymentHistory.empty(), 1), 2);
    h = h.respecified("spec2-scaled");
    assertThat(h.current().orElseThrow().spec()).isEqualTo("spec2-scaled");
    assertThat(h.current().orElseThrow().version()).isEqualTo(2);
    assertThat(h.get(1).orElseThrow().spec()).isEqualTo("spec1");
  }

  @Test
  void aStoredHistoryIsSortedByVersion() {
    DeploymentHistory<String> h = deploy(deploy(DeploymentHistory.empty(), 1), 2);
    DeploymentHistory<String> back =
        DeploymentHistory.of(java.util.List.of(h.revisions().get(1), h.revisions().get(0)));
    assertThat(back).isEqualTo(h);
  }
}
