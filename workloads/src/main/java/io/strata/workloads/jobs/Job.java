package io.strata.workloads.jobs;

import io.strata.workloads.core.JobRun;
import io.strata.workloads.core.RunStatus;
import io.strata.workloads.spec.JobSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * A job and its runs, as the jobs framework tracks it beside the tasks of its active runs in the
 * shell's task table (event-loop thread only).
 */
final class Job {
  JobSpec spec;
  final Instant createdAt;
  Instant updatedAt;
  int nextRunSeq;
  Instant lastScheduled;
  String lastSkip;

  /** Runs by sequence number ({@code r12} is 12), oldest first. */
  final TreeMap<Integer, JobRun> runs = new TreeMap<>();

  /** A job as it was stored (or, new, as it starts). */
  Job(StoredJob stored) {
    spec = stored.spec();
    createdAt = stored.createdAt();
    updatedAt = stored.updatedAt();
    nextRunSeq = stored.nextRunSeq();
    lastScheduled = stored.lastScheduled();
    lastSkip = stored.lastSkip();
  }

  StoredJob stored() {
    return new StoredJob(spec, createdAt, updatedAt, nextRunSeq, lastScheduled, lastSkip);
  }

  List<JobRun> activeRuns() {
    List<JobRun> out = new ArrayList<>();
    for (JobRun r : runs.values()) {
      if (r.status() == RunStatus.ACTIVE) {
        out.add(r);
      }
    }
    return out;
  }

  static int seqOf(String runId) {
    return Integer.parseInt(runId.substring(1));
  }

  /** What the framework keeps in the allocator's store for a job ({@code job.<id>}). */
  record StoredJob(
      JobSpec spec,
      Instant createdAt,
      Instant updatedAt,
      int nextRunSeq,
      Instant lastScheduled,
      String lastSkip) {}
}
