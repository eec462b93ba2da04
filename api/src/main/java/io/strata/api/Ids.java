package io.strata.api;

import io.strata.api.json.Checks;
import java.util.regex.Pattern;

/** The shape every identifier shares: safe in URLs, file names, cgroup and job-object names. */
final class Ids {
  static final int MAX_LENGTH = 200;
  static final Pattern PATTERN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@+-]*");

  private Ids() {}

  static String check(String kind, String value) {
    if (valid(value)) {
      return value; // the common case, without building the checks and their messages
    }
    new Checks()
        .notBlank("", value)
        .maxLength("", value, MAX_LENGTH)
        .matches(
            "",
            value,
            PATTERN,
            "a " + kind + " starts with a letter or digit and uses only letters, digits and ._:@+-")
        .done();
    return value;
  }

  /** The same rule as {@link #PATTERN} and {@link #MAX_LENGTH}, without a regex: ids are hot. */
  static boolean valid(String value) {
    if (value == null || value.isEmpty() || value.length() > MAX_LENGTH) {
      return false;
    }
    if (!asciiLetterOrDigit(value.charAt(0))) {
      return false;
    }
    for (int i = 1; i < value.length(); i++) {
      char c = value.charAt(i);
      if (!asciiLetterOrDigit(c) && "._:@+-".indexOf(c) < 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean asciiLetterOrDigit(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }
}
