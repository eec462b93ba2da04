package io.strata.workloads.framework;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.api.AgentId;
import io.strata.api.OfferId;
import io.strata.api.TaskId;
import io.strata.api.client.SchedulerClient;
import io.strata.api.scheduler.Operation;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** {@link AllocatorLink} over the api's {@link SchedulerClient}: HTTP to the allocator. */
final class ClientLink implements AllocatorLink {
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
    client.kill(task, gracePeriodMillis);
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
