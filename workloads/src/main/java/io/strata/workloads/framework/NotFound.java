package io.strata.workloads.framework;

/** The app, job, run or task named does not exist (HTTP 404, CLI exit code 3). */
public final class NotFound extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public NotFound(String message) {
    super(message);
  }
}
