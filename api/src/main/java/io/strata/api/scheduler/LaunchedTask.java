package io.strata.api.scheduler;

import io.strata.api.AgentId;
import io.strata.api.Resources;
import io.strata.api.TaskId;
import io.strata.api.TaskState;
import java.util.Map;

/**
 * One of a framework's tasks as the allocator records it ({@code GET /v1/frameworks/{id}/tasks}):
 * where it was launched and with what. A framework that lost its own memory of its tasks (a
 * restart, an allocator failover) learns from it where its adopted tasks run.
 *
 * @param hostname the agent's hostname (null if the agent is gone)
 * @param resources what the task was launched with, its ports included
 * @param labels the task's labels
 */
public record LaunchedTask(
    TaskId taskId,
    AgentId agentId,
    String hostname,
    Resources resources,
    TaskState state,
    Map<String, String> labels) {

  public LaunchedTask {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }
}
