package io.strata.workloads.framework;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.api.AgentId;
import io.strata.api.FrameworkId;
import io.strata.api.Offer;
import io.strata.api.OfferId;
import io.strata.api.Os;
import io.strata.api.PortRanges;
import io.strata.api.ResourcePool;
import io.strata.api.Resources;
import io.strata.api.TaskId;
import io.strata.api.TaskInfo;
import io.strata.api.TaskState;
import io.strata.api.TaskStatus;
import io.strata.api.client.ApiException;
import io.strata.api.json.Problem;
import io.strata.api.scheduler.LaunchedTask;
import io.strata.api.scheduler.Operation;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * A deterministic stand-in for the allocator and its agents, speaking {@link SchedulerLink} to one
 * framework: it makes offers from its agents' free resources, checks every ACCEPT against them (as
 * the real allocator does), remembers launched tasks and their states, records kills and
 * reconciliations, and keeps the framework store in memory. Tests decide when tasks start, become
 * healthy, fail or die.
 */
public final class SimulatedAllocator implements SchedulerLink {
  public record Agent(
      AgentId id, String hostname, Os os, Map<String, String> attributes, Resources total) {}

  public record Launched(TaskInfo task, AgentId agent) {}

  private final Clock clock;
  private final FrameworkId frameworkId = FrameworkId.of("fw-1");
  private final Map<AgentId, Agent> agents = new LinkedHashMap<>();
  private final Map<AgentId, Resources> used = new HashMap<>();
  private final Map<OfferId, AgentId> outstanding = new HashMap<>();

  /** Offer filters, as DECLINE and ACCEPT leave them: no offers from an agent until then. */
  private final Map<AgentId, java.time.Instant> filtered = new HashMap<>();

  private final Map<TaskId, Launched> tasks = new LinkedHashMap<>();
  private final Map<TaskId, TaskState> states = new HashMap<>();
  private final Map<TaskId, Boolean> health = new HashMap<>();
  public final Map<String, JsonNode> store = new TreeMap<>();
  public final List<TaskId> kills = new ArrayList<>();

  /** Each kill call's tasks, in order. */
  public final List<List<TaskId>> killCalls = new ArrayList<>();

  public final List<List<TaskId>> reconciles = new ArrayList<>();
  public boolean suppressed;
  private int offerSeq;

  public SimulatedAllocator(Clock clock) {
    this.clock = clock;
  }

  public FrameworkId frameworkId() {
    return frameworkId;
  }

  public synchronized SimulatedAllocator agent(
      String name, Os os, Map<String, String> attributes, String cpus, String mem) {
    AgentId id = AgentId.of("agent-" + name);
    Resources total =
        new Resources(
            io.strata.api.Quantities.parseMillicpus(cpus),
            io.strata.api.Quantities.parseBytes(mem, io.strata.api.Quantities.MIB),
            0,
            0,
            PortRanges.range(31000, 31099));
    agents.put(id, new Agent(id, name, os, attributes, total));
    used.put(id, Resources.EMPTY);
    return this;
  }

  /** One offer per agent with free resources and no outstanding offer (none while suppressed). */
  public synchronized List<Offer> offers() {
    if (suppressed) {
      return List.of();
    }
    List<Offer> out = new ArrayList<>();
    for (Agent a : agents.values()) {
      if (outstanding.containsValue(a.id())) {
        continue;
      }
      java.time.Instant until = filtered.get(a.id());
      if (until != null && clock.instant().isBefore(until)) {
        continue;
      }
      Resources free = a.total().minus(used.get(a.id()));
      if (free.millicpus() == 0 && free.memoryBytes() == 0) {
        continue;
      }
      OfferId id = OfferId.of("offer-" + ++offerSeq);
      outstanding.put(id, a.id());
      out.add(
          new Offer(
              id,
              frameworkId,
              a.id(),
              a.hostname(),
              a.os(),
              a.attributes(),
              "services",
              ResourcePool.unreserved(free)));
    }
    return out;
  }

  @Override
  public synchronized void accept(
      List<OfferId> offers, List<Operation> operations, long refuseSeconds) {
    AgentId agent = outstanding.get(offers.get(0));
    if (agent == null) {
      throw new ApiException(
          Problem.of(409, "Conflict", "offer " + offers.get(0) + " is no longer valid"));
    }
    offers.forEach(outstanding::remove);
    filtered.put(agent, clock.instant().plusSeconds(refuseSeconds));
    Resources free = agents.get(agent).total().minus(used.get(agent));
    Resources want = Resources.EMPTY;
    for (Operation op : operations) {
      for (TaskInfo t : ((Operation.Launch) op).tasks()) {
        want = want.plus(t.resources());
      }
    }
    if (!free.contains(want)) {
      throw new AssertionError("over-committed " + agent + ": " + want + " > " + free);
    }
    used.put(agent, used.get(agent).plus(want));
    for (Operation op : operations) {
      for (TaskInfo t : ((Operation.Launch) op).tasks()) {
        if (tasks.containsKey(t.taskId())) {
          throw new AssertionError("duplicate task id " + t.taskId());
        }
        tasks.put(t.taskId(), new Launched(t, agent));
        states.put(t.taskId(), TaskState.STAGING);
      }
    }
  }

  @Override
  public synchronized void decline(List<OfferId> offers, long refuseSeconds) {
    for (OfferId o : offers) {
      AgentId agent = outstanding.remove(o);
      if (agent != null) {
        filtered.put(agent, clock.instant().plusSeconds(refuseSeconds));
      }
    }
  }

  @Override
  public synchronized void kill(List<TaskId> tasks, Long gracePeriodMillis) {
    killCalls.add(List.copyOf(tasks));
    kills.addAll(tasks);
  }

  @Override
  public synchronized void acknowledge(AgentId agent, TaskId task, UUID uuid) {}

  @Override
  public synchronized void reconcile(List<TaskId> list) {
    reconciles.add(List.copyOf(list));
  }

  @Override
  public synchronized void revive() {
    suppressed = false;
    filtered.clear();
  }

  @Override
  public synchronized void suppress() {
    suppressed = true;
  }

  @Override
  public synchronized void put(String key, JsonNode value) {
    store.put(key, value);
  }

  @Override
  public synchronized Optional<JsonNode> get(String key) {
    return Optional.ofNullable(store.get(key));
  }

  @Override
  public synchronized void delete(String key) {
    store.remove(key);
  }

  @Override
  public synchronized List<String> keys() {
    return List.copyOf(store.keySet());
  }

  /** Tasks launched and not ended, in launch order. */
  public synchronized List<Launched> active() {
    List<Launched> out = new ArrayList<>();
    tasks.forEach(
        (id, l) -> {
          if (!states.get(id).isTerminal()) {
            out.add(l);
          }
        });
    return out;
  }

  public synchronized List<Launched> activeWith(TaskState state) {
    return active().stream().filter(l -> states.get(l.task().taskId()) == state).toList();
  }

  public synchronized Launched launched(TaskId id) {
    return tasks.get(id);
  }

  public synchronized TaskState state(TaskId id) {
    return states.get(id);
  }

  /** Moves a task to a state and returns the update the framework must receive. */
  public synchronized TaskStatus status(
      TaskId id, TaskState state, Boolean healthy, Integer exitCode) {
    Launched l = tasks.get(id);
    states.put(id, state);
    health.put(id, healthy);
    if (state.isTerminal()) {
      used.put(l.agent(), used.get(l.agent()).minus(l.task().resources()));
    }
    return new TaskStatus(
        id,
        frameworkId,
        l.agent(),
        state,
        null,
        state.name().toLowerCase(),
        TaskStatus.Source.AGENT,
        UUID.randomUUID(),
        clock.instant(),
        healthy,
        exitCode);
  }

  /** The answer to reconciling a task the allocator never heard of. */
  public synchronized TaskStatus unknown(TaskId id) {
    return new TaskStatus(
        id,
        frameworkId,
        null,
        TaskState.LOST,
        io.strata.api.Reason.TASK_UNKNOWN,
        "unknown task",
        TaskStatus.Source.ALLOCATOR,
        null,
        clock.instant(),
        null,
        null);
  }

  /** The current state of every active task, as RECONCILE answers it. */
  public synchronized List<TaskStatus> reconciliation() {
    List<TaskStatus> out = new ArrayList<>();
    for (Launched l : active()) {
      TaskId id = l.task().taskId();
      out.add(
          new TaskStatus(
              id,
              frameworkId,
              l.agent(),
              states.get(id),
              io.strata.api.Reason.RECONCILIATION,
              null,
              TaskStatus.Source.ALLOCATOR,
              null,
              clock.instant(),
              health.get(id),
              null));
    }
    return out;
  }

  /** The framework's tasks as the allocator records them, in launch order. */
  @Override
  public synchronized List<LaunchedTask> tasks() {
    List<LaunchedTask> out = new ArrayList<>();
    tasks.forEach(
        (id, l) ->
            out.add(
                new LaunchedTask(
                    id,
                    l.agent(),
                    agents.get(l.agent()).hostname(),
                    l.task().resources(),
                    states.get(id),
                    l.task().labels())));
    return out;
  }

  public synchronized Agent agentOf(TaskId id) {
    return agents.get(tasks.get(id).agent());
  }
}
