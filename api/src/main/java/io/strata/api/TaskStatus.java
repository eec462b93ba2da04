package io.strata.api;

import io.strata.api.json.Checks;
import java.time.Instant;
import java.util.UUID;

/**
 * A change in a task's state. Updates from agents carry a {@code uuid}: they are delivered at least
 * once and acknowledged by it; duplicates (same uuid) are harmless. Updates the allocator makes up
 * (reconciliation) have no uuid and need no acknowledgement.
 *
 * @param exitCode set when the process exited
 * @param healthy set once the task's health check has a verdict
 */
public record TaskStatus(
    TaskId taskId,
    FrameworkId frameworkId,
    AgentId agentId,
    TaskState state,
    Reason reason,
    String message,
    Source source,
    UUID uuid,
    Instant timestamp,
    Boolean healthy,
    Integer exitCode) {

  /** Who produced the update. */
  public enum Source {
    AGENT,
    ALLOCATOR
  }

  public TaskStatus {
    new Checks()
        .notNull("taskId", taskId)
        .notNull("state", state)
        .notNull("source", source)
        .notNull("timestamp", timestamp)
        .maxLength("message", message, 4096)
        .done();
  }

  public TaskStatus withUuid(UUID newUuid) {
    return new TaskStatus(
        taskId,
        frameworkId,
        agentId,
        state,
        reason,
        message,
        source,
        newUuid,
        timestamp,
        healthy,
        exitCode);
  }

  public boolean needsAcknowledgement() {
    return uuid != null;
  }
}
