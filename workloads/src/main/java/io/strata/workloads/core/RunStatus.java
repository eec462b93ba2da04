package io.strata.workloads.core;

/** Where a job run is: active, or finished one way or the other. */
public enum RunStatus {
  ACTIVE,
  SUCCEEDED,
  FAILED;

  public boolean isFinished() {
    return this != ACTIVE;
  }
}
