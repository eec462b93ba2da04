package io.strata.workloads.framework;

import io.strata.api.TaskId;

/**
 * What a framework's policy decided, as data, for its {@link FrameworkShell} to carry out: new
 * tasks to place, tasks to kill. The pure planners ({@link
 * io.strata.workloads.core.ServicePlanner}, {@link io.strata.workloads.core.RunMachine}) decide;
 * the policy turns their answer into effects.
 */
public sealed interface Effect {
  /** Track a new task, PENDING until an offer fits it. */
  record Create(TrackedTask task) implements Effect {}

  /**
   * Kill a task: a PENDING one is just forgotten; a launched one is killed (KILL with {@code
   * gracePeriodMillis}, null: the agent's default) and shows {@code why} (null: its last message).
   */
  record Kill(TaskId task, String why, Long gracePeriodMillis) implements Effect {}
}
