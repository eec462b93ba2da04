package io.strata.workloads.core;

/** Where a service instance is in its life, as the framework sees it. */
public enum InstancePhase {
  /** Decided, not launched yet: waiting for an offer that fits (or for a restart backoff). */
  PENDING,
  /** Launched: the allocator and the agent are starting it (STAGING, STARTING). */
  LAUNCHING,
  RUNNING,
  /** Its agent is unreachable; it may still run. */
  UNREACHABLE,
  /** The framework asked for it to be killed and waits for the terminal update. */
  KILLING;

  /** Counts toward the app's instances (not on its way out). */
  public boolean isLive() {
    return this != KILLING;
  }
}
