package io.strata.workloads.core;

import io.strata.api.TaskId;

/** What the services framework must do for an app, as decided by {@link ServicePlanner}. */
public sealed interface ServiceAction {
  /** Create {@code count} new instances of the app's current version (pending until placed). */
  record Launch(int count) implements ServiceAction {}

  /** Kill the instance (or forget it, if it was never launched). */
  record Kill(TaskId taskId, String why) implements ServiceAction {}
}
