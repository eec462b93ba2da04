package io.strata.api;

import io.strata.api.json.Checks;
import java.util.regex.Pattern;

/** The shape every identifier shares: safe in URLs, file names, cgroup and job-object names. */
final class Ids {
  static final int MAX_LENGTH = 200;
  static final Pattern PATTERN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@+-]*");

  private Ids() {}

  static String check(String kind, String value) {
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
}
