package io.strata.workloads.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The state machine of a job run: pure transitions from (policy, run, event, now) to the new run
 * and the launches and kills it asks for.
 */
public final class RunMachine {
  private RunMachine() {}

  /** The id of a run's task: {@code job.runId.index}. */
  public static String taskId(String jobId, String runId, int index) {
    return jobId + "." + runId + "." + index;
  }

  /**
   * Advances an active run at {@code now}: finishes it when it has enough successes, too many
   * failures or has passed its deadline (killing what still runs), else starts tasks up to the
   * parallelism unless a retry backoff holds them. A finished run does not change.
   */
  public static RunStep advance(String jobId, RunPolicy policy, JobRun run, Instant now) {
    if (run.status().isFinished()) {
      return new RunStep(run, List.of(), List.of());
    }
    if (run.succeeded() >= policy.completions()) {
      return finish(
          run,
          RunStatus.SUCCEEDED,
          now,
          run.succeeded() + " of " + policy.completions() + " tasks succeeded");
    }
    if (run.failed() > policy.retries()) {
      return finish(
          run,
          RunStatus.FAILED,
          now,
          run.failed()
              + " tasks failed"
              + (run.lastFailure() == null ? "" : ", the last with " + run.lastFailure())
              + "; the limit is "
              + policy.retries()
              + " retries");
    }
    if (policy.activeDeadlineMillis() != null
        && !now.isBefore(run.createdAt().plusMillis(policy.activeDeadlineMillis()))) {
      return finish(
          run,
          RunStatus.FAILED,
          now,
          "active deadline of " + Duration.ofMillis(policy.activeDeadlineMillis()) + " exceeded");
    }
    if (run.retryNotBefore() != null && now.isBefore(run.retryNotBefore())) {
      return new RunStep(run, List.of(), List.of());
    }
    int active = run.active().size();
    int want =
        Math.min(policy.parallelism() - active, policy.completions() - run.succeeded() - active);
    if (want <= 0) {
      return new RunStep(run, List.of(), List.of());
    }
    List<String> launch = new ArrayList<>(want);
    List<String> nowActive = new ArrayList<>(run.active());
    for (int i = 0; i < want; i++) {
      String id = taskId(jobId, run.runId(), run.nextIndex() + i);
      launch.add(id);
      nowActive.add(id);
    }
    JobRun next =
        run.with(
            RunStatus.ACTIVE,
            run.succeeded(),
            run.failed(),
            run.nextIndex() + want,
            nowActive,
            null,
            null,
            null);
    return new RunStep(next, launch, List.of());
  }

  /**
   * Records the end of one of the run's tasks; {@code succeeded} when it exited 0. A failure sets
   * the retry backoff. Unknown tasks (already counted, or not the run's) change nothing.
   */
  public static JobRun taskEnded(
      RunPolicy policy, JobRun run, String taskId, boolean succeeded, Instant now) {
    return taskEnded(policy, run, taskId, succeeded, null, now);
  }

  /**
   * As {@link #taskEnded(RunPolicy, JobRun, String, boolean, Instant)}, with why a failed task
   * failed ({@code failure}: its reason, exit code and message), kept as the run's last failure.
   */
  public static JobRun taskEnded(
      RunPolicy policy, JobRun run, String taskId, boolean succeeded, String failure, Instant now) {
    if (!run.active().contains(taskId)) {
      return run;
    }
    List<String> active = new ArrayList<>(run.active());
    active.remove(taskId);
    if (succeeded) {
      return run.with(
          run.status(),
          run.succeeded() + 1,
          run.failed(),
          run.nextIndex(),
          active,
          run.retryNotBefore(),
          run.finishedAt(),
          run.message());
    }
    int failed = run.failed() + 1;
    return run.with(
        run.status(),
        run.succeeded(),
        failed,
        run.nextIndex(),
        active,
        now.plus(policy.backoff().delayAfter(failed)),
        run.finishedAt(),
        run.message(),
        failure == null ? run.lastFailure() : failure);
  }

  /** Ends an active run now (e.g. replaced by a newer scheduled run, or the job was removed). */
  public static RunStep stop(JobRun run, Instant now, String why) {
    if (run.status().isFinished()) {
      return new RunStep(run, List.of(), List.of());
    }
    return finish(run, RunStatus.FAILED, now, why);
  }

  private static RunStep finish(JobRun run, RunStatus status, Instant now, String message) {
    JobRun done =
        run.with(
            status, run.succeeded(), run.failed(), run.nextIndex(), List.of(), null, now, message);
    return new RunStep(done, List.of(), run.active());
  }
}
