package io.strata.agent.windows.plan;

import io.strata.api.Quantities;

/**
 * How a task's job ended, with the reason: the Windows side of a task's terminal status. The
 * containerizer maps it onto the agent's status (FINISHED / FAILED / KILLED and a reason).
 */
public sealed interface JobEnd {

  String message();

  /** The task's main process exited on its own with {@code exitCode}. */
  record Exited(int exitCode) implements JobEnd {
    public boolean success() {
      return exitCode == 0;
    }

    @Override
    public String message() {
      return "exited with code " + ExitCodes.describe(exitCode);
    }
  }

  /**
   * The job reached its memory limit: reported MEMORY_LIMIT, like an OOM kill on Linux.
   *
   * @param exitCode the main process's exit code, when known
   */
  record MemoryLimit(Integer exitCode, long limitBytes, long peakBytes) implements JobEnd {
    @Override
    public String message() {
      return "ended by its job object for exceeding its memory limit of "
          + Quantities.humanBytes(limitBytes)
          + " (peak "
          + Quantities.humanBytes(peakBytes)
          + ")";
    }
  }

  /** Killed at the agent's request (graceful stop, then the whole job terminated). */
  record Killed(Integer exitCode, boolean graceful) implements JobEnd {
    @Override
    public String message() {
      return graceful
          ? "stopped by CTRL_BREAK within its grace period"
          : "terminated with its whole job object";
    }
  }

  /**
   * The job was gone when a restarted agent looked for it: the task's main process exited while no
   * agent was watching, so its exit code is lost.
   */
  record Vanished(String message) implements JobEnd {}
}
