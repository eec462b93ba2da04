package io.strata.api.json;

import java.util.List;

/**
 * An error answer, {@code application/problem+json} (RFC 9457). {@code violations} lists each
 * invalid field with its path; {@code retryable} tells a client whether trying again may help.
 */
public record Problem(
    String type,
    String title,
    int status,
    String detail,
    String instance,
    List<Violation> violations,
    Boolean retryable) {

  public static final String MEDIA_TYPE = "application/problem+json";

  public Problem {
    type = type == null ? "about:blank" : type;
    violations = violations == null ? List.of() : List.copyOf(violations);
  }

  public static Problem of(int status, String title, String detail) {
    return new Problem(
        null, title, status, detail, null, List.of(), status >= 500 || status == 429);
  }

  public static Problem invalid(String instance, List<Violation> violations) {
    return new Problem(
        "https://strata.io/problems/invalid-input",
        "Invalid input",
        400,
        violations.size() == 1
            ? violations.get(0).toString()
            : violations.size() + " problems: " + new ValidationException(violations).getMessage(),
        instance,
        violations,
        false);
  }
}
