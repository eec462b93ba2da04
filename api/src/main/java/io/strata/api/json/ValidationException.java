package io.strata.api.json;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Input that breaks the contract. Carries every violation found, each with its field path, so that
 * a user fixes all of them in one go. Thrown by value constructors and by {@link Codec}.
 */
public final class ValidationException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  private final transient List<Violation> violations;

  public ValidationException(List<Violation> violations) {
    super(describe(violations));
    this.violations = List.copyOf(violations);
  }

  public ValidationException(String field, String message) {
    this(List.of(new Violation(field, message)));
  }

  public List<Violation> violations() {
    return violations;
  }

  private static String describe(List<Violation> violations) {
    return violations.stream().map(Violation::toString).collect(Collectors.joining("; "));
  }
}
