package io.strata.workloads.framework;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.api.AgentId;
import io.strata.api.OfferId;
import io.strata.api.TaskId;
import io.strata.api.client.SchedulerClient;
import io.strata.api.scheduler.LaunchedTask;
import io.strata.api.scheduler.Operation;
import io.strata.api.scheduler.SchedulerCall;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * {@link SchedulerLink} over the api's {@link SchedulerClient}: HTTP to the allocator. Kills go out
 * asynchronously as KILL_TASKS calls (one per burst of the framework's work, split only above
 * {@link SchedulerCall.KillTasks#MAX_TASKS}), so that stopping an app of 100,000 instances neither
 * holds the framework's loop nor makes a request per instance; a kill that is lost is sent again by
 * the framework when no terminal update came.
 */
final class ClientLink implements SchedulerLink {
  private static final System.Logger LOG = System.getLogger(ClientLink.class.getName());
  private static final java.util.concurrent.ExecutorService KILLS =
      java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();

  private final SchedulerClient client;

  ClientLink(SchedulerClient client) {
    this.client = client;
  }

  @Override
  public void accept(List<OfferId> offers, List<Operation> operations, long refuseSeconds) {
    client.accept(offers, operations, refuseSeconds);
  }

  @Override
  public void decline(List<OfferId> offers, long refuseSeconds) {
    client.decline(offers, refuseSeconds);
  }

  @Override
  public void kill(List<TaskId> tasks, Long gracePeriodMillis) {
    List<TaskId> all = List.copyOf(tasks);
    KILLS.execute(
        () -> {
          for (int from = 0; from < all.size(); from += SchedulerCall.KillTasks.MAX_TASKS) {
            List<TaskId> chunk =
                all.subList(from, Math.min(all.size(), from + SchedulerCall.KillTasks.MAX_TASKS));
            try {
              client.kill(chunk, gracePeriodMillis);
            } catch (io.strata.api.client.ApiException e) {
              LOG.log(
                  System.Logger.Level.WARNING,
                  "KILL_TASKS of {0} tasks failed: {1}",
                  chunk.size(),
                  e.getMessage());
            }
          }
        });
  }

  @Override
  public void acknowledge(AgentId agent, TaskId task, UUID uuid) {
    client.acknowledge(agent, task, uuid);
  }

  @Override
  public void reconcile(List<TaskId> tasks) {
    client.reconcile(tasks);
  }

  @Override
  public void revive() {
    client.revive(Set.of());
  }

  @Override
  public void suppress() {
    client.suppress(Set.of());
  }

  @Override
  public List<LaunchedTask> tasks() {
    return client.tasks();
  }

  @Override
  public void put(String key, JsonNode value) {
    client.put(key, value);
  }

  @Override
  public Optional<JsonNode> get(String key) {
    return client.get(key);
  }

  @Override
  public void delete(String key) {
    client.delete(key);
  }

  @Override
  public List<String> keys() {
    return client.keys();
  }
}
