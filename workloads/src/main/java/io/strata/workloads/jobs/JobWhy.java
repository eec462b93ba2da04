package io.strata.workloads.jobs;

import io.strata.api.TaskId;
import io.strata.workloads.core.InstancePhase;
import io.strata.workloads.core.JobRun;
import io.strata.workloads.core.PendingReason;
import io.strata.workloads.core.RunPolicy;
import io.strata.workloads.framework.TaskView;
import io.strata.workloads.framework.WhyView;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds the "why" of a job or one of its tasks from the framework's state. */
final class JobWhy {
  private JobWhy() {}

  static WhyView of(Job job, Instant now, Map<TaskId, List<PendingReason>> fresh) {
    List<String> notes = new ArrayList<>();
    RunPolicy policy = job.spec.policy();
    List<JobRun> active = job.activeRuns();
    for (JobRun run : active) {
      long running = job.tasks.values().stream().filter(t -> t.runId.equals(run.runId())).count();
      int left = policy.completions() - run.succeeded() - run.active().size();
      notes.add(
          "run "
              + run.runId()
              + ": "
              + run.succeeded()
              + " of "
              + policy.completions()
              + " succeeded, "
              + running
              + " started (parallelism "
              + policy.parallelism()
              + "), "
              + run.failed()
              + " failed (retries "
              + policy.retries()
              + ")"
              + (left > 0 ? ", " + left + " not started yet" : ""));
      if (run.retryNotBefore() != null && now.isBefore(run.retryNotBefore())) {
        notes.add(
            "run "
                + run.runId()
                + ": next task delayed by retry backoff: "
                + seconds(Duration.between(now, run.retryNotBefore()))
                + " left");
      }
    }
    if (active.isEmpty() && !job.runs.isEmpty()) {
      JobRun last = job.runs.lastEntry().getValue();
      notes.add("last run " + last.runId() + " " + last.status() + ": " + last.message());
    }
    JobView view = JobView.of(job);
    if (view.nextRunAt() != null) {
      notes.add("next scheduled run at " + view.nextRunAt());
    }
    if (job.lastSkip != null) {
      notes.add("last skipped: " + job.lastSkip);
    }
    List<TaskView> waiting = new ArrayList<>();
    for (JobTask t : job.tasks.values()) {
      if (t.phase != InstancePhase.RUNNING) {
        waiting.add(withReasons(t, job, fresh));
      }
    }
    return new WhyView(job.spec.id(), "job", active.isEmpty() ? "IDLE" : "ACTIVE", notes, waiting);
  }

  static WhyView ofTask(Job job, JobTask t, Map<TaskId, List<PendingReason>> fresh) {
    TaskView v = withReasons(t, job, fresh);
    List<String> notes = new ArrayList<>();
    if (t.message != null) {
      notes.add(t.message);
    }
    return new WhyView(t.id, "task", v.state(), notes, List.of(v));
  }

  static TaskView withReasons(JobTask t, Job job, Map<TaskId, List<PendingReason>> fresh) {
    TaskView v = t.view(job.spec.id());
    List<PendingReason> reasons = fresh.get(TaskId.of(t.id));
    if (t.phase == InstancePhase.PENDING && t.reasons.isEmpty() && reasons != null) {
      return new TaskView(
          v.id(),
          v.kind(),
          v.owner(),
          v.detail(),
          v.state(),
          v.healthy(),
          v.agentId(),
          v.hostname(),
          v.ports(),
          v.since(),
          reasons,
          v.message());
    }
    return v;
  }

  static String seconds(Duration d) {
    return Math.max(1, (d.toMillis() + 999) / 1000) + "s";
  }
}
