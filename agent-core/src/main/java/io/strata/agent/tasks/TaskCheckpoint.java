package io.strata.agent.tasks;

import io.strata.agent.containerizer.ContainerCheckpoint;
import io.strata.agent.containerizer.ContainerId;
import io.strata.api.FrameworkId;
import io.strata.api.TaskId;
import io.strata.api.TaskInfo;
import io.strata.api.TaskState;
import io.strata.api.json.Checks;
import java.time.Instant;

/**
 * What the agent checkpoints for a task (one JSON file, fsync'd): enough to report it and re-attach
 * to it after a restart. Written before the launch (no checkpoint yet), after it (with the
 * containerizer's checkpoint), and when it ends (terminal state); deleted once the allocator has
 * acknowledged the terminal update.
 *
 * @param containerizer the containerizer that runs it
 * @param user the user it runs as: the admitted one, then the containerizer's word once launched
 *     (its checkpoint's {@code user} detail: on Linux the app's uid, in decimal)
 * @param sandbox its sandbox directory
 * @param state the last state the agent reported for it
 * @param checkpoint null until the launch succeeded
 */
public record TaskCheckpoint(
    FrameworkId frameworkId,
    TaskInfo task,
    ContainerId containerId,
    String containerizer,
    String user,
    String sandbox,
    TaskState state,
    ContainerCheckpoint checkpoint,
    Instant acceptedAt) {

  public TaskCheckpoint {
    new Checks()
        .notNull("frameworkId", frameworkId)
        .notNull("task", task)
        .notNull("containerId", containerId)
        .notBlank("containerizer", containerizer)
        .notBlank("user", user)
        .notBlank("sandbox", sandbox)
        .notNull("state", state)
        .notNull("acceptedAt", acceptedAt)
        .done();
  }

  public TaskId taskId() {
    return task.taskId();
  }

  public TaskCheckpoint withState(TaskState newState) {
    return new TaskCheckpoint(
        frameworkId,
        task,
        containerId,
        containerizer,
        user,
        sandbox,
        newState,
        checkpoint,
        acceptedAt);
  }

  public TaskCheckpoint withUser(String newUser) {
    return new TaskCheckpoint(
        frameworkId,
        task,
        containerId,
        containerizer,
        newUser,
        sandbox,
        state,
        checkpoint,
        acceptedAt);
  }

  public TaskCheckpoint withCheckpoint(ContainerCheckpoint newCheckpoint) {
    return new TaskCheckpoint(
        frameworkId,
        task,
        containerId,
        containerizer,
        user,
        sandbox,
        state,
        newCheckpoint,
        acceptedAt);
  }
}
