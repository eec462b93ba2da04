package io.strata.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.workloads.core.Revision;
import io.strata.workloads.core.Revision.Outcome;
import io.strata.workloads.services.AppView;
import io.strata.workloads.spec.AppSpec;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RolloutStatusTest {
  static final Instant T = Instant.parse("2026-01-31T12:00:00Z");

  static Revision<AppSpec> revision(Outcome o, String reason) {
    return new Revision<>(4, null, T, "updated: command", "alice", o, T, reason);
  }

  static AppView app(int healthy, String status) {
    return new AppView("web", 4, 3, healthy, healthy, 0, status, T, T, null, List.of(), List.of());
  }

  @Test
  void progressSaysHowFarTheCurrentVersionGot() {
    assertThat(
            RolloutCommand.Status.progress(revision(Outcome.DEPLOYING, null), app(1, "DEPLOYING")))
        .isEqualTo("app web version 4: DEPLOYING, 1 of 3 healthy (DEPLOYING)");
    assertThat(RolloutCommand.Status.progress(revision(Outcome.SUCCEEDED, null), app(3, "RUNNING")))
        .isEqualTo("app web version 4: rolled out (3 of 3 healthy)");
    assertThat(
            RolloutCommand.Status.progress(
                revision(Outcome.FAILED, "3 instance failures before the deployment completed"),
                app(0, "WAITING")))
        .isEqualTo(
            "app web version 4: FAILED: 3 instance failures before the deployment completed (the"
                + " rollout goes on; strata rollback web to undo)");
  }
}
