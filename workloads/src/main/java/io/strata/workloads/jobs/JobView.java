package io.strata.workloads.jobs;

import io.strata.workloads.core.JobRun;
import io.strata.workloads.framework.TaskView;
import io.strata.workloads.spec.JobSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A job as {@code strata jobs} and {@code GET /v1/jobs} show it: its runs newest first (the active
 * ones and the kept history) and the tasks of its active runs.
 *
 * @param nextRunAt when the schedule starts the next run (null without a schedule)
 * @param lastSkip the last scheduled time that passed without a run, and why
 */
public record JobView(
    String id,
    String schedule,
    Instant nextRunAt,
    String lastSkip,
    int activeRuns,
    Instant createdAt,
    Instant updatedAt,
    JobSpec spec,
    List<JobRun> runs,
    List<TaskView> tasks) {

  /** The job's view, with these views of its tasks (none in lists). */
  static JobView of(Job job, List<TaskView> tasks) {
    List<JobRun> runs = new ArrayList<>(job.runs.values());
    Collections.reverse(runs);
    Instant next = null;
    if (job.spec.schedule() != null) {
      next =
          job.spec
              .schedule()
              .parsedCron()
              .next(job.lastScheduled, job.spec.schedule().zone())
              .orElse(null);
    }
    return new JobView(
        job.spec.id(),
        job.spec.schedule() == null ? null : job.spec.schedule().cron(),
        next,
        job.lastSkip,
        job.activeRuns().size(),
        job.createdAt,
        job.updatedAt,
        job.spec,
        runs,
        tasks);
  }
}
