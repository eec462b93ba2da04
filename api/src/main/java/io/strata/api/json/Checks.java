package io.strata.api.json;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Collects the violations of one value's constructor, so a value reports everything wrong with it
 * at once rather than the first problem only. Use in a record's compact constructor and end with
 * {@link #done()}.
 */
public final class Checks {
  private final List<Violation> violations = new ArrayList<>();

  public Checks require(boolean ok, String field, String message) {
    if (!ok) {
      violations.add(new Violation(field, message));
    }
    return this;
  }

  public Checks notNull(String field, Object value) {
    return require(value != null, field, "is required");
  }

  public Checks notBlank(String field, String value) {
    if (value == null) {
      return require(false, field, "is required");
    }
    return require(!value.isBlank(), field, "must not be blank");
  }

  public Checks nonNegative(String field, long value) {
    return require(value >= 0, field, "must be >= 0 (was " + value + ")");
  }

  public Checks positive(String field, long value) {
    return require(value > 0, field, "must be > 0 (was " + value + ")");
  }

  public Checks range(String field, long value, long min, long max) {
    return require(
        value >= min && value <= max,
        field,
        "must be between " + min + " and " + max + " (was " + value + ")");
  }

  public Checks matches(String field, String value, Pattern pattern, String what) {
    if (value != null) {
      require(pattern.matcher(value).matches(), field, what + " (was '" + value + "')");
    }
    return this;
  }

  public Checks maxLength(String field, String value, int max) {
    if (value != null) {
      require(value.length() <= max, field, "must be at most " + max + " characters");
    }
    return this;
  }

  /** Elements that are null (because they failed to decode, or were missing) are violations. */
  public Checks noNullElements(String field, Collection<?> values) {
    if (values != null) {
      int i = 0;
      for (Object value : values) {
        require(value != null, field + "[" + i + "]", "is required");
        i++;
      }
    }
    return this;
  }

  public Checks noNullValues(String field, Map<String, ?> values) {
    if (values != null) {
      for (Map.Entry<String, ?> e : values.entrySet()) {
        require(e.getKey() != null && !e.getKey().isBlank(), field, "keys must not be blank");
        require(e.getValue() != null, field + "." + e.getKey(), "is required");
      }
    }
    return this;
  }

  /** Runs a nested check whose violations land under {@code field}. */
  public Checks nested(String field, Runnable check) {
    try {
      check.run();
    } catch (ValidationException e) {
      e.violations().forEach(v -> violations.add(v.under(field)));
    }
    return this;
  }

  /** Adds the violations another value reported, placed under {@code field}. */
  public Checks addAll(String field, List<Violation> nested) {
    nested.forEach(v -> violations.add(v.under(field)));
    return this;
  }

  public Checks with(Consumer<Checks> more) {
    more.accept(this);
    return this;
  }

  public boolean ok() {
    return violations.isEmpty();
  }

  /** Throws a {@link ValidationException} with every violation collected, if there is any. */
  public void done() {
    if (!violations.isEmpty()) {
      throw new ValidationException(violations);
    }
  }
}
