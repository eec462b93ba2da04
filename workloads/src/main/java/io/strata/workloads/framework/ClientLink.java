package io.strata.workloads.framework;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.api.AgentId;
import io.strata.api.OfferId;
import io.strata.api.TaskId;
import io.strata.api.client.SchedulerClient;
import io.strata.api.scheduler.LaunchedTask;
import io.strata.api.scheduler.Operation;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * {@link SchedulerLink} over the api's {@link SchedulerClient}: HTTP to the allocator. KILL calls
 * go out asynchronously, a bounded number at a time, so that stopping an app of 100,000 instances
 * does not hold the framework's loop; a kill that is lost is sent again by the framework when no
 * terminal update came.
 */
final class ClientLink implements SchedulerLink {
  private static final System.Logger LOG = System.getLogger(ClientLink.class.getName());
  private static final java.util.concurrent.ExecutorService KILLS =
      java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
  private static final java.util.concurrent.Semaphore KILLS_IN_FLIGHT =
      new java.util.concurrent.Semaphore(128);

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
  public void kill(TaskId task, Long gracePeriodMillis) {
    try {
      KILLS_IN_FLIGHT.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    KILLS.execute(
        () -> {
          try {
            client.kill(task, gracePeriodMillis);
          } catch (io.strata.api.client.ApiException e) {
            LOG.log(System.Logger.Level.WARNING, "KILL {0} failed: {1}", task, e.getMessage());
          } finally {
            KILLS_IN_FLIGHT.release();
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
