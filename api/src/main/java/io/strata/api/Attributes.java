package io.strata.api;

import io.strata.api.json.Checks;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** Checks for string maps: attributes, labels, environment. */
public final class Attributes {
  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]{0,127}");
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private Attributes() {}

  /** A sorted, unmodifiable copy with keys checked; null becomes empty. */
  static Map<String, String> keys(Checks c, String field, Map<String, String> map) {
    return copy(c, field, map, KEY, "keys use letters, digits and ._/- (at most 128)");
  }

  /** Environment variable names: {@code [A-Za-z_][A-Za-z0-9_]*}. */
  static Map<String, String> env(Checks c, String field, Map<String, String> map) {
    return copy(c, field, map, ENV_NAME, "environment variable names match [A-Za-z_][A-Za-z0-9_]*");
  }

  private static Map<String, String> copy(
      Checks c, String field, Map<String, String> map, Pattern key, String rule) {
    if (map == null) {
      return Map.of();
    }
    TreeMap<String, String> out = new TreeMap<>();
    for (Map.Entry<String, String> e : map.entrySet()) {
      if (e.getKey() == null || !key.matcher(e.getKey()).matches()) {
        c.require(false, field + "." + e.getKey(), rule);
      } else if (e.getValue() == null) {
        c.require(false, field + "." + e.getKey(), "is required");
      } else {
        out.put(e.getKey(), e.getValue());
      }
    }
    return java.util.Collections.unmodifiableMap(out);
  }
}
