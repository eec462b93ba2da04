package io.strata.workloads.jobs;

import io.strata.workloads.core.InstancePhase;
import io.strata.workloads.core.JobRun;
import io.strata.workloads.core.RunPolicy;
import io.strata.workloads.framework.TaskView;
import io.strata.workloads.framework.TrackedTask;
import io.strata.workloads.framework.WhyView;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Builds the "why" of a job or one of its tasks from the framework's state. */
final class JobWhy {
  private JobWhy() {}

  /**
   * @param job the job (null: not ours)
   * @param task one of its tasks, for the why of that one only (null: of the job)
   * @param tasks the tasks of the job's active runs
   * @param view a task's view, with fresh reasons if it waits
   */
  static WhyView of(
      Job job,
      TrackedTask task,
      Iterable<TrackedTask> tasks,
      Instant now,
      Function<TrackedTask, TaskView> view) {
    if (task != null) {
      return ofTask(task, view.apply(task));
    }
    if (job == null) {
      return null;
    }
    List<String> notes = new ArrayList<>();
    RunPolicy policy = job.spec.policy();
    List<JobRun> active = job.activeRuns();
    for (JobRun run : active) {
      long started = 0;
      for (TrackedTask t : tasks) {
        started += t.detail().equals(run.runId()) ? 1 : 0;
      }
      int left = policy.completions() - run.succeeded() - run.active().size();
      notes.add(
          "run "
              + run.runId()
              + ": "
              + run.succeeded()
              + " of "
              + policy.completions()
              + " succeeded, "
              + started
              + " started (parallelism "
              + policy.parallelism()
              + "), "
              + run.failed()
              + " failed (retries "
              + policy.retries()
              + ")"
              + (left > 0 ? ", " + left + " not started yet" : ""));
      if (run.retryNotBefore() != null && now.isBefore(run.retryNotBefore())) {
        Duration d = Duration.between(now, run.retryNotBefore());
        notes.add(
            "run "
                + run.runId()
                + ": next task delayed by retry backoff: "
                + Math.max(1, (d.toMillis() + 999) / 1000)
                + "s left");
      }
    }
    if (active.isEmpty() && !job.runs.isEmpty()) {
      JobRun last = job.runs.lastEntry().getValue();
      notes.add("last run " + last.runId() + " " + last.status() + ": " + last.message());
    }
    JobView summary = JobView.of(job, List.of());
    if (summary.nextRunAt() != null) {
      notes.add("next scheduled run at " + summary.nextRunAt());
    }
    if (job.lastSkip != null) {
      notes.add("last skipped: " + job.lastSkip);
    }
    List<TaskView> waiting = new ArrayList<>();
    for (TrackedTask t : tasks) {
      if (t.phase() != InstancePhase.RUNNING) {
        waiting.add(view.apply(t));
      }
    }
    return new WhyView(job.spec.id(), "job", active.isEmpty() ? "IDLE" : "ACTIVE", notes, waiting);
  }

  /** The why of one task ({@code view}: its view, with fresh reasons if it waits). */
  private static WhyView ofTask(TrackedTask t, TaskView view) {
    List<String> notes = new ArrayList<>();
    if (t.message() != null) {
      notes.add(t.message());
    }
    return new WhyView(t.id().value(), "task", view.state(), notes, List.of(view));
  }
}
