package io.strata.workloads.jobs;

import io.strata.api.json.Codec;
import io.strata.workloads.core.JobRun;
import io.strata.workloads.framework.SchedulerLink;
import java.lang.System.Logger.Level;
import java.util.Map;

/** Jobs and runs in the allocator's framework store: {@code job.<id>}, {@code run.<id>.<runId>}. */
final class JobStore {
  private static final System.Logger LOG = System.getLogger(JobStore.class.getName());
  static final String JOB = "job.";
  static final String RUN = "run.";

  void putJob(SchedulerLink link, Job job) {
    link.put(JOB + job.spec.id(), Codec.JSON.mapper().valueToTree(job.stored()));
  }

  void putRun(SchedulerLink link, Job job, JobRun run) {
    link.put(RUN + job.spec.id() + "." + run.runId(), Codec.JSON.mapper().valueToTree(run));
  }

  void deleteJob(SchedulerLink link, Job job) {
    link.delete(JOB + job.spec.id());
  }

  void deleteRun(SchedulerLink link, Job job, String runId) {
    link.delete(RUN + job.spec.id() + "." + runId);
  }

  /** Loads every job, then every run of a known job, into {@code jobs}. */
  void load(SchedulerLink link, Map<String, Job> jobs) {
    var keys = link.keys();
    for (String key : keys) {
      if (key.startsWith(JOB)) {
        link.get(key)
            .ifPresent(
                json -> {
                  Job.StoredJob s = Codec.JSON.mapper().convertValue(json, Job.StoredJob.class);
                  jobs.putIfAbsent(s.spec().id(), new Job(s));
                });
      }
    }
    int runs = 0;
    for (String key : keys) {
      if (!key.startsWith(RUN)) {
        continue;
      }
      String[] parts = key.split("\\.");
      Job job = parts.length == 3 ? jobs.get(parts[1]) : null;
      if (job == null) {
        continue;
      }
      var json = link.get(key);
      if (json.isPresent()) {
        JobRun run = Codec.JSON.mapper().convertValue(json.get(), JobRun.class);
        job.runs.put(Job.seqOf(run.runId()), run);
        runs++;
      }
    }
    LOG.log(Level.INFO, "jobs: {0} jobs and {1} runs loaded from the store", jobs.size(), runs);
  }
}
