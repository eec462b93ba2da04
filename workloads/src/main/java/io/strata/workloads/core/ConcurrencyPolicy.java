package io.strata.workloads.core;

/** What a scheduled job does when its time comes while a run is still active (as a CronJob). */
public enum ConcurrencyPolicy {
  /** Start the new run alongside. */
  ALLOW,
  /** Skip the new run. */
  FORBID,
  /** Stop the active runs and start the new one. */
  REPLACE
}
