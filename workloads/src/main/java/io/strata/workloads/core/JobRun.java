package io.strata.workloads.core;

import java.time.Instant;
import java.util.List;

/**
 * One run of a job: the durable record the jobs framework keeps (in the allocator's framework
 * store) and shows as history.
 *
 * @param runId unique within the job, e.g. {@code r12}
 * @param trigger what started it: {@code submit}, {@code schedule} or {@code manual}
 * @param scheduledFor for a scheduled run, the cron time it stands for
 * @param nextIndex the index the next task of the run gets (tasks are {@code job.runId.index})
 * @param active the ids of its tasks that were launched and have not ended
 * @param retryNotBefore after a failure, no new task starts before this (backoff)
 * @param lastFailure why its last failed task failed ({@code MEMORY_LIMIT, exit 137: ...}), so a
 *     user sees the reason and not only a count; null while none failed
 */
public record JobRun(
    String runId,
    String trigger,
    Instant createdAt,
    Instant scheduledFor,
    RunStatus status,
    int succeeded,
    int failed,
    int nextIndex,
    List<String> active,
    Instant retryNotBefore,
    Instant finishedAt,
    String message,
    String lastFailure) {

  public JobRun {
    active = active == null ? List.of() : List.copyOf(active);
  }

  public static JobRun start(String runId, String trigger, Instant now, Instant scheduledFor) {
    return new JobRun(
        runId,
        trigger,
        now,
        scheduledFor,
        RunStatus.ACTIVE,
        0,
        0,
        0,
        List.of(),
        null,
        null,
        null,
        null);
  }

  JobRun with(
      RunStatus newStatus,
      int newSucceeded,
      int newFailed,
      int newNextIndex,
      List<String> newActive,
      Instant newRetryNotBefore,
      Instant newFinishedAt,
      String newMessage) {
    return with(
        newStatus,
        newSucceeded,
        newFailed,
        newNextIndex,
        newActive,
        newRetryNotBefore,
        newFinishedAt,
        newMessage,
        lastFailure);
  }

  JobRun with(
      RunStatus newStatus,
      int newSucceeded,
      int newFailed,
      int newNextIndex,
      List<String> newActive,
      Instant newRetryNotBefore,
      Instant newFinishedAt,
      String newMessage,
      String newLastFailure) {
    return new JobRun(
        runId,
        trigger,
        createdAt,
        scheduledFor,
        newStatus,
        newSucceeded,
        newFailed,
        newNextIndex,
        newActive,
        newRetryNotBefore,
        newFinishedAt,
        newMessage,
        newLastFailure);
  }
}
