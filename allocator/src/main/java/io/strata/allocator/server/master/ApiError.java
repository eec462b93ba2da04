package io.strata.allocator.server.master;

import io.strata.api.json.Problem;
import io.strata.api.json.Violation;
import java.util.List;

/**
 * An expected refusal, answered as {@code application/problem+json}: the client gets the status, a
 * title and a detail saying why; no stack trace, no logging beyond debug.
 */
public final class ApiError extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient Problem problem;

  public ApiError(Problem problem) {
    super(problem.title() + ": " + problem.detail(), null, false, false);
    this.problem = problem;
  }

  public Problem problem() {
    return problem;
  }

  public static ApiError of(int status, String title, String detail) {
    return new ApiError(Problem.of(status, title, detail));
  }

  public static ApiError unauthorized(String detail) {
    return of(401, "Unauthorized", detail);
  }

  public static ApiError forbidden(String detail) {
    return of(403, "Forbidden", detail);
  }

  public static ApiError notFound(String detail) {
    return of(404, "Not found", detail);
  }

  public static ApiError conflict(String detail) {
    return of(409, "Conflict", detail);
  }

  public static ApiError gone(String detail) {
    return of(410, "Gone", detail);
  }

  /** A request whose fields break a rule the codec cannot check (e.g. an unknown offer). */
  public static ApiError invalid(int status, String title, List<Violation> violations) {
    Problem p = Problem.invalid(null, violations);
    return new ApiError(
        new Problem(p.type(), title, status, p.detail(), null, p.violations(), false));
  }
}
