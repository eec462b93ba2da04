package io.strata.api.client;

import io.strata.api.json.Problem;

/**
 * A call to a Strata API failed. {@link #problem()} is what the server said; {@link #status()} is 0
 * when it could not be reached at all. {@link #retryable()} tells whether trying again may help.
 */
public final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient Problem problem;

  public ApiException(Problem problem) {
    super(
        problem.status()
            + " "
            + problem.title()
            + (problem.detail() == null ? "" : ": " + problem.detail()));
    this.problem = problem;
  }

  public ApiException(String message, Throwable cause) {
    super(message, cause);
    this.problem = new Problem(null, "Unreachable", 0, message, null, null, true);
  }

  public Problem problem() {
    return problem;
  }

  public int status() {
    return problem.status();
  }

  public boolean retryable() {
    return problem.retryable() == null ? problem.status() >= 500 : problem.retryable();
  }
}
