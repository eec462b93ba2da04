package io.strata.agent.windows.exec;

import java.util.Set;

/** Which failed launches are the task's fault (a bad command) rather than the host's. */
final class LaunchFailures {
  private static final Set<Integer> USER_ERRORS =
      Set.of(
          2, // ERROR_FILE_NOT_FOUND
          3, // ERROR_PATH_NOT_FOUND
          5, // ERROR_ACCESS_DENIED (not executable for us)
          123, // ERROR_INVALID_NAME
          193, // ERROR_BAD_EXE_FORMAT
          216, // ERROR_EXE_MACHINE_TYPE_MISMATCH
          267, // ERROR_DIRECTORY (working directory)
          740); // ERROR_ELEVATION_REQUIRED

  private LaunchFailures() {}

  static boolean isUsers(Win32Exception e) {
    return (e.function().equals("CreateProcessW") || e.function().equals("CreateFileW"))
        && USER_ERRORS.contains(e.code());
  }
}
