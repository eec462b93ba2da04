package io.strata.agent.windows.plan;

import java.util.Map;
import java.util.TreeMap;

/**
 * The environment block CreateProcessW takes with CREATE_UNICODE_ENVIRONMENT: {@code NAME=value}
 * strings, each ended by a NUL, the block ended by one more NUL, sorted by name without regard to
 * case as Windows expects. Names compare case-insensitively on Windows, so a task's {@code Path}
 * replaces the agent's {@code PATH} instead of sitting beside it.
 */
public final class EnvironmentBlock {
  private EnvironmentBlock() {}

  /** {@code base} overlaid with {@code overrides} (names case-insensitive), sorted. */
  public static Map<String, String> merge(Map<String, String> base, Map<String, String> overrides) {
    TreeMap<String, String> merged = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    base.forEach((k, v) -> put(merged, k, v));
    overrides.forEach((k, v) -> put(merged, k, v));
    return merged;
  }

  private static void put(TreeMap<String, String> env, String key, String value) {
    env.remove(key); // keep the new spelling of the name
    env.put(key, value);
  }

  /** The UTF-16 block, double-NUL terminated. */
  public static char[] encode(Map<String, String> env) {
    TreeMap<String, String> sorted = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    sorted.putAll(env);
    StringBuilder out = new StringBuilder();
    sorted.forEach(
        (k, v) -> {
          if (k.isEmpty()
              || k.indexOf('=', 1) >= 0
              || k.indexOf('\0') >= 0
              || v.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(
                "environment variable '" + k + "' cannot be passed to a Windows process");
          }
          out.append(k).append('=').append(v).append('\0');
        });
    if (sorted.isEmpty()) {
      out.append('\0');
    }
    out.append('\0');
    return out.toString().toCharArray();
  }
}
