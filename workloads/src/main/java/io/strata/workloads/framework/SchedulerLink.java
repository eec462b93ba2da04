package io.strata.workloads.framework;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.api.AgentId;
import io.strata.api.OfferId;
import io.strata.api.TaskId;
import io.strata.api.scheduler.LaunchedTask;
import io.strata.api.scheduler.Operation;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The calls a subscribed framework makes to the allocator (the scheduler API and its durable
 * store). Every call blocks until the allocator answered and throws {@link
 * io.strata.api.client.ApiException} if it refused or could not be reached; a store write has
 * returned only once it is durable. (A framework's link, not an agent's link to the allocator.)
 */
public interface SchedulerLink {
  void accept(List<OfferId> offers, List<Operation> operations, long refuseSeconds);

  void decline(List<OfferId> offers, long refuseSeconds);

  /**
   * Kills the tasks, each with the grace period (null: the task's own), in one request however many
   * they are: an implementation may send it asynchronously (the framework retries a kill that no
   * terminal update followed).
   */
  void kill(List<TaskId> tasks, Long gracePeriodMillis);

  void acknowledge(AgentId agent, TaskId task, UUID uuid);

  /** Asks for the state of these tasks, or of all the framework's tasks if empty. */
  void reconcile(List<TaskId> tasks);

  /** Clears offer filters and resumes offers. */
  void revive();

  /** Stops offers until {@link #revive}. */
  void suppress();

  /** The framework's tasks as the allocator records them: where each runs, with what. */
  List<LaunchedTask> tasks();

  void put(String key, JsonNode value);

  Optional<JsonNode> get(String key);

  void delete(String key);

  List<String> keys();
}
