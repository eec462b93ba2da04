package io.strata.workloads.framework;

import io.strata.api.TaskId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The kills one burst of the framework's work asks for (an app removed, scaled down, a job stopped,
 * kills retried), gathered so that they go out as one KILL_TASKS call per grace period rather than
 * one KILL per task. Not thread-safe: used on the framework's loop.
 */
final class KillBatch {
  /** By grace period (null: the task's own); in the order asked. */
  private final Map<Long, List<TaskId>> byGrace = new LinkedHashMap<>();

  void add(TaskId task, Long gracePeriodMillis) {
    byGrace.computeIfAbsent(gracePeriodMillis, g -> new ArrayList<>()).add(task);
  }

  boolean isEmpty() {
    return byGrace.isEmpty();
  }

  /** Sends the kills gathered, one call per grace period, and forgets them. */
  void send(SchedulerLink link) {
    byGrace.forEach((grace, tasks) -> link.kill(List.copyOf(tasks), grace));
    byGrace.clear();
  }
}
