package io.strata.allocator.state;

import io.strata.api.AgentId;
import io.strata.api.FrameworkId;
import io.strata.api.ResourcePool;
import io.strata.api.TaskId;
import io.strata.api.TaskInfo;
import io.strata.api.TaskStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A task the allocator knows: what was launched where, what it consumes and its status updates that
 * the framework has not acknowledged yet (in the order they arrived; they are resent on
 * re-subscription until acknowledged).
 *
 * @param role the role of the offer it was launched on
 * @param consumed the part of the agent's resources it holds, split by reservation
 * @param latest its most recent status
 * @param unacknowledged updates with a uuid the framework has not acknowledged
 */
public record TaskRecord(
    FrameworkId frameworkId,
    AgentId agentId,
    String role,
    TaskInfo task,
    ResourcePool consumed,
    TaskStatus latest,
    List<TaskStatus> unacknowledged) {

  public TaskRecord {
    unacknowledged = unacknowledged == null ? List.of() : List.copyOf(unacknowledged);
  }

  public TaskId taskId() {
    return task.taskId();
  }

  /** The task with {@code status} as its latest; kept for acknowledgement if it has a uuid. */
  public TaskRecord withStatus(TaskStatus status) {
    List<TaskStatus> pending = new ArrayList<>(unacknowledged);
    if (status.needsAcknowledgement()
        && pending.stream().noneMatch(s -> status.uuid().equals(s.uuid()))) {
      pending.add(status);
    }
    return new TaskRecord(frameworkId, agentId, role, task, consumed, status, pending);
  }

  public TaskRecord acknowledged(UUID uuid) {
    List<TaskStatus> pending = new ArrayList<>(unacknowledged);
    pending.removeIf(s -> uuid.equals(s.uuid()));
    return new TaskRecord(frameworkId, agentId, role, task, consumed, latest, pending);
  }

  public boolean isPending(UUID uuid) {
    return unacknowledged.stream().anyMatch(s -> uuid.equals(s.uuid()));
  }
}
