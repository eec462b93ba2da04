package io.strata.agent.core;

import io.strata.agent.containerizer.Termination;
import io.strata.api.Reason;
import io.strata.api.TaskState;

/**
 * The terminal state, reason and message a task's {@link Termination} becomes in its status update.
 * Killing is the agent's decision, so its reason (framework, health check, shutdown) comes from the
 * agent, not from the containerizer.
 */
public record TaskOutcome(TaskState state, Reason reason, String message, Integer exitCode) {

  /**
   * @param killReason why the agent killed the task, or null if it did not
   * @param stderrTail the end of the task's stderr, added to failure messages ("" for none)
   */
  public static TaskOutcome of(Termination t, Reason killReason, String stderrTail) {
    String tail = stderrTail == null || stderrTail.isBlank() ? "" : ": " + stderrTail.strip();
    return switch (t.cause()) {
      case EXITED ->
          t.succeeded()
              ? new TaskOutcome(
                  TaskState.FINISHED, Reason.COMMAND_EXITED, t.message(), t.exitCode())
              : new TaskOutcome(
                  TaskState.FAILED, Reason.COMMAND_EXITED, t.message() + tail, t.exitCode());
      case SIGNALED ->
          new TaskOutcome(
              TaskState.FAILED, Reason.COMMAND_EXITED, t.message() + tail, t.exitCode());
      case MEMORY_LIMIT ->
          new TaskOutcome(TaskState.FAILED, Reason.MEMORY_LIMIT, t.message(), t.exitCode());
      case KILLED ->
          killReason == Reason.HEALTH_CHECK_FAILED
              ? new TaskOutcome(
                  TaskState.FAILED,
                  Reason.HEALTH_CHECK_FAILED,
                  "killed after failing its health check (" + t.message() + ")",
                  t.exitCode())
              : new TaskOutcome(
                  TaskState.KILLED,
                  killReason == null ? Reason.KILLED_BY_FRAMEWORK : killReason,
                  t.message(),
                  t.exitCode());
      case LOST ->
          new TaskOutcome(TaskState.FAILED, Reason.AGENT_RESTARTED, t.message(), t.exitCode());
    };
  }
}
