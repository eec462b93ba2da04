package io.strata.cli.commands;

import java.util.Map;

/**
 * The environment the commands read ({@code STRATA_*} variables, {@code HOME}); tests replace it.
 */
public final class Environment {
  private static volatile Map<String, String> env = System.getenv();

  private Environment() {}

  public static Map<String, String> get() {
    return env;
  }

  /** For tests: the commands of this JVM read {@code replacement} from now on. */
  public static void replace(Map<String, String> replacement) {
    env = replacement;
  }
}
