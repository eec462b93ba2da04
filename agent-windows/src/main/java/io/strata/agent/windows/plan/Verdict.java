package io.strata.agent.windows.plan;

/**
 * Decides how a task ended from what the agent saw: completion-port notifications (not guaranteed
 * to arrive) and what it polled from the job afterwards (always available). Pure.
 */
public final class Verdict {
  private Verdict() {}

  /** Why the agent itself terminated the job, if it did. */
  public enum AgentAction {
    NONE,
    /** The agent killed the task on request. */
    KILL,
    /** The job hit its memory limit and the agent ended it, as the kernel would on Linux. */
    MEMORY_LIMIT
  }

  /**
   * What is known when the task's main process is gone.
   *
   * @param exitCode the main process's exit code
   * @param memoryLimitNotified a JOB_OBJECT_MSG_JOB_MEMORY_LIMIT arrived for this job
   * @param peakJobMemoryBytes PeakJobMemoryUsed, polled from the job's extended limits
   * @param jobMemoryLimitBytes the job's limit, 0 if none
   * @param action what the agent did to the job
   * @param graceful for a kill: the task stopped on CTRL_BREAK, within its grace period
   */
  public record Facts(
      Integer exitCode,
      boolean memoryLimitNotified,
      long peakJobMemoryBytes,
      long jobMemoryLimitBytes,
      AgentAction action,
      boolean graceful) {}

  /**
   * A job whose peak commit came within this fraction of its limit, and whose process then failed,
   * ran out of memory: an allocation fails when it would cross the limit, so the peak stays just
   * under it. Used only when the notification was lost.
   */
  static final long NEAR_LIMIT_PER_MILLE = 990;

  public static JobEnd of(Facts f) {
    if (f.action() == AgentAction.MEMORY_LIMIT || f.memoryLimitNotified()) {
      return new JobEnd.MemoryLimit(f.exitCode(), f.jobMemoryLimitBytes(), f.peakJobMemoryBytes());
    }
    if (f.action() == AgentAction.KILL) {
      return new JobEnd.Killed(f.exitCode(), f.graceful());
    }
    int code = f.exitCode() == null ? ExitCodes.TERMINATED_BY_AGENT : f.exitCode();
    if (code != 0 && nearLimit(f.peakJobMemoryBytes(), f.jobMemoryLimitBytes())) {
      return new JobEnd.MemoryLimit(f.exitCode(), f.jobMemoryLimitBytes(), f.peakJobMemoryBytes());
    }
    return new JobEnd.Exited(code);
  }

  static boolean nearLimit(long peak, long limit) {
    return limit > 0 && peak * 1000 >= limit * NEAR_LIMIT_PER_MILLE;
  }
}
