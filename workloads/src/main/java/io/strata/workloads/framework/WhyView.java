package io.strata.workloads.framework;

import java.util.List;

/**
 * The answer to {@code strata why ID}: for a task, an app or a job, what state it is in, notes on
 * what the framework waits for (a rolling update, a backoff, parallelism), and each task that is
 * not running with its machine-readable reasons.
 */
public record WhyView(
    String id, String kind, String state, List<String> notes, List<TaskView> tasks) {
  public WhyView {
    notes = List.copyOf(notes);
    tasks = List.copyOf(tasks);
  }
}
