package io.strata.agent.windows.plan;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The part of the agent's environment every Windows task gets under the one agent-core builds:
 * without SystemRoot, many Windows programs (and Winsock) do not even start, without PATH and
 * PATHEXT cmd.exe finds nothing. Nothing else of the agent's environment leaks into tasks.
 */
public final class SystemEnvironment {
  public static final Set<String> ESSENTIALS =
      Set.of(
          "SYSTEMROOT",
          "SYSTEMDRIVE",
          "WINDIR",
          "COMSPEC",
          "PATH",
          "PATHEXT",
          "TEMP",
          "TMP",
          "PROGRAMDATA",
          "PROGRAMFILES",
          "PROGRAMFILES(X86)",
          "COMMONPROGRAMFILES",
          "NUMBER_OF_PROCESSORS",
          "PROCESSOR_ARCHITECTURE",
          "OS");

  private SystemEnvironment() {}

  public static Map<String, String> essentials(Map<String, String> agentEnvironment) {
    Map<String, String> out = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    agentEnvironment.forEach(
        (k, v) -> {
          if (ESSENTIALS.contains(k.toUpperCase(Locale.ROOT))) {
            out.put(k, v);
          }
        });
    return out;
  }
}
