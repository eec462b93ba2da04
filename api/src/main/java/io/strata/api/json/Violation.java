package io.strata.api.json;

/**
 * One thing wrong with an input, and where: {@code field} is a path such as {@code
 * tasks[0].resources.millicpus} (empty for the input as a whole).
 */
public record Violation(String field, String message) {
  public Violation {
    field = field == null ? "" : field;
    message = message == null ? "invalid" : message;
  }

  /** This violation seen from an enclosing object: {@code prefix.field}. */
  public Violation under(String prefix) {
    if (prefix == null || prefix.isEmpty()) {
      return this;
    }
    if (field.isEmpty()) {
      return new Violation(prefix, message);
    }
    return new Violation(field.startsWith("[") ? prefix + field : prefix + "." + field, message);
  }

  @Override
  public String toString() {
    return field.isEmpty() ? message : field + ": " + message;
  }
}
