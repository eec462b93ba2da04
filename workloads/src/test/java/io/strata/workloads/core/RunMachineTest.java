package io.strata.workloads.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunMachineTest {
  static final Instant T0 = Instant.parse("2026-01-31T12:00:00Z");
  static final RunPolicy TWENTY_BY_FIVE =
      new RunPolicy(20, 5, 2, new Backoff(1000L, 8000L, 2.0, null), 600_000L);

  @Test
  void startsUpToParallelismAndCompletesWithTwentySuccesses() {
    JobRun run = JobRun.start("r1", "submit", T0, null);
    RunStep step = RunMachine.advance("batch", TWENTY_BY_FIVE, run, T0);
    assertThat(step.launch())
        .containsExactly("batch.r1.0", "batch.r1.1", "batch.r1.2", "batch.r1.3", "batch.r1.4");
    run = step.run();
    int launched = 5;
    while (run.status() == RunStatus.ACTIVE) {
      String done = run.active().get(0);
      run = RunMachine.taskEnded(TWENTY_BY_FIVE, run, done, true, T0);
      step = RunMachine.advance("batch", TWENTY_BY_FIVE, run, T0);
      assertThat(step.run().active().size()).isLessThanOrEqualTo(5);
      launched += step.launch().size();
      run = step.run();
    }
    assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(run.succeeded()).isEqualTo(20);
    assertThat(launched).isEqualTo(20);
    assertThat(run.finishedAt()).isEqualTo(T0);
  }

  @Test
  void aFailureWaitsForTheBackoffThenRetries() {
    RunPolicy one = new RunPolicy(1, 1, 3, new Backoff(1000L, 8000L, 2.0, null), null);
    RunStep step = RunMachine.advance("j", one, JobRun.start("r1", "submit", T0, null), T0);
    JobRun run = RunMachine.taskEnded(one, step.run(), "j.r1.0", false, T0);
    assertThat(run.retryNotBefore()).isEqualTo(T0.plusSeconds(1));
    assertThat(RunMachine.advance("j", one, run, T0.plusMillis(999)).launch()).isEmpty();
    step = RunMachine.advance("j", one, run, T0.plusSeconds(1));
    assertThat(step.launch()).containsExactly("j.r1.1");
    run = RunMachine.taskEnded(one, step.run(), "j.r1.1", false, T0.plusSeconds(1));
    assertThat(run.retryNotBefore()).isEqualTo(T0.plusSeconds(3)); // 2 s after the 2nd failure
  }

  @Test
  void tooManyFailuresFailTheRunAndKillTheRest() {
    RunPolicy policy = new RunPolicy(10, 3, 1, new Backoff(0L, 0L, null, null), null);
    RunStep step = RunMachine.advance("j", policy, JobRun.start("r1", "submit", T0, null), T0);
    JobRun run = RunMachine.taskEnded(policy, step.run(), "j.r1.0", false, T0);
    run = RunMachine.taskEnded(policy, run, "j.r1.1", false, T0);
    step = RunMachine.advance("j", policy, run, T0);
    assertThat(step.run().status()).isEqualTo(RunStatus.FAILED);
    assertThat(step.kill()).containsExactly("j.r1.2");
    assertThat(step.run().active()).isEmpty();
    assertThat(step.run().message()).contains("2 tasks failed");
  }

  @Test
  void aFailedRunSaysWhyItsLastTaskFailed() {
    RunPolicy policy = new RunPolicy(1, 1, 0, new Backoff(0L, 0L, null, null), null);
    RunStep step = RunMachine.advance("j", policy, JobRun.start("r1", "submit", T0, null), T0);
    JobRun run =
        RunMachine.taskEnded(
            policy, step.run(), "j.r1.0", false, "MEMORY_LIMIT, exit 137: OOM killed", T0);
    assertThat(run.lastFailure()).isEqualTo("MEMORY_LIMIT, exit 137: OOM killed");
    step = RunMachine.advance("j", policy, run, T0);
    assertThat(step.run().status()).isEqualTo(RunStatus.FAILED);
    assertThat(step.run().message())
        .isEqualTo(
            "1 tasks failed, the last with MEMORY_LIMIT, exit 137: OOM killed; the limit is 0"
                + " retries");
  }

  @Test
  void theActiveDeadlineFailsTheRun() {
    RunPolicy policy = new RunPolicy(1, 1, 0, null, 60_000L);
    RunStep step = RunMachine.advance("j", policy, JobRun.start("r1", "submit", T0, null), T0);
    RunStep late = RunMachine.advance("j", policy, step.run(), T0.plus(Duration.ofMinutes(1)));
    assertThat(late.run().status()).isEqualTo(RunStatus.FAILED);
    assertThat(late.kill()).containsExactly("j.r1.0");
    assertThat(late.run().message()).contains("deadline");
  }

  @Test
  void duplicateEndsCountOnce() {
    RunPolicy policy = new RunPolicy(2, 2, 0, null, null);
    RunStep step = RunMachine.advance("j", policy, JobRun.start("r1", "submit", T0, null), T0);
    JobRun run = RunMachine.taskEnded(policy, step.run(), "j.r1.0", true, T0);
    assertThat(RunMachine.taskEnded(policy, run, "j.r1.0", true, T0)).isEqualTo(run);
    assertThat(run.succeeded()).isEqualTo(1);
  }

  @Test
  void stoppingKillsWhatRuns() {
    RunPolicy policy = new RunPolicy(2, 2, 0, null, null);
    RunStep step = RunMachine.advance("j", policy, JobRun.start("r1", "submit", T0, null), T0);
    RunStep stopped = RunMachine.stop(step.run(), T0, "replaced by r2");
    assertThat(stopped.kill()).containsExactlyElementsOf(List.of("j.r1.0", "j.r1.1"));
    assertThat(stopped.run().status()).isEqualTo(RunStatus.FAILED);
    assertThat(RunMachine.stop(stopped.run(), T0, "again").kill()).isEmpty();
  }
}
