package io.strata.allocator.state;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.api.AgentId;
import io.strata.api.FrameworkId;
import io.strata.api.TaskId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The fold of {@link StateEvent}s: what a journal replays into and snapshots, and the live master's
 * durable state (the master applies each event here as it emits it), so the journal's fold and the
 * live state are one code path. Mutable and not thread-safe; its owner (the journal's writer
 * thread, the master's lock) serializes access. The read accessors return live read-only views.
 */
public final class DurableState {
  private final Map<AgentId, AgentRecord> agents = new HashMap<>();
  private final TreeMap<AgentId, Instant> goneAgents = new TreeMap<>();

  /** The gone agents removed by revoking their credential. */
  private final Set<AgentId> revokedAgents = new HashSet<>();

  private final Map<FrameworkId, FrameworkRecord> frameworks = new HashMap<>();
  private final TreeMap<FrameworkId, Instant> removedFrameworks = new TreeMap<>();
  private final Map<TaskKey, TaskRecord> tasks = new HashMap<>();
  private final Map<String, RoleRecord> roles = new HashMap<>();
  private final Map<FrameworkId, TreeMap<String, JsonNode>> store = new HashMap<>();
  private final TreeMap<String, JoinTokenRecord> joinTokens = new TreeMap<>();

  /** Tasks are named by their framework and id. */
  public record TaskKey(FrameworkId frameworkId, TaskId taskId) {}

  public AgentRecord agent(AgentId id) {
    return agents.get(id);
  }

  public FrameworkRecord framework(FrameworkId id) {
    return frameworks.get(id);
  }

  public TaskRecord task(TaskKey key) {
    return tasks.get(key);
  }

  /** Every task, in no particular order. */
  public Collection<TaskRecord> tasks() {
    return Collections.unmodifiableCollection(tasks.values());
  }

  public int taskCount() {
    return tasks.size();
  }

  public Map<String, RoleRecord> roles() {
    return Collections.unmodifiableMap(roles);
  }

  /** The framework's store entries by key; empty if it has none. */
  public SortedMap<String, JsonNode> store(FrameworkId id) {
    TreeMap<String, JsonNode> entries = store.get(id);
    return entries == null
        ? Collections.emptySortedMap()
        : Collections.unmodifiableSortedMap(entries);
  }

  public Map<String, JoinTokenRecord> joinTokens() {
    return Collections.unmodifiableMap(joinTokens);
  }

  /** The agent was removed by revoking its credential and its id is still refused. */
  public boolean revoked(AgentId id) {
    return revokedAgents.contains(id);
  }

  public static DurableState of(StateSnapshot snapshot) {
    DurableState s = new DurableState();
    snapshot.agents().forEach(a -> s.agents.put(a.id(), a));
    snapshot
        .goneAgents()
        .forEach(
            g -> {
              s.goneAgents.put(g.agentId(), g.at());
              if (g.revoked()) {
                s.revokedAgents.add(g.agentId());
              }
            });
    snapshot.frameworks().forEach(f -> s.frameworks.put(f.id(), f));
    snapshot.removedFrameworks().forEach(r -> s.removedFrameworks.put(r.frameworkId(), r.at()));
    snapshot.tasks().forEach(t -> s.tasks.put(new TaskKey(t.frameworkId(), t.taskId()), t));
    snapshot.roles().forEach(r -> s.roles.put(r.role(), r));
    snapshot.joinTokens().forEach(j -> s.joinTokens.put(j.id(), j));
    snapshot
        .store()
        .forEach(
            e ->
                s.store
                    .computeIfAbsent(e.frameworkId(), f -> new TreeMap<>())
                    .put(e.key(), e.value()));
    return s;
  }

  public void apply(StateEvent event) {
    switch (event) {
      case StateEvent.AgentUpserted e -> {
        if (!goneAgents.containsKey(e.agent().id())) {
          agents.put(e.agent().id(), e.agent());
        }
      }
      case StateEvent.AgentStateChanged e ->
          agents.computeIfPresent(
              e.agentId(), (id, a) -> a.withState(e.state(), e.drainDeadline(), e.markGone()));
      case StateEvent.ReservationsChanged e ->
          agents.computeIfPresent(
              e.agentId(), (id, a) -> a.withReservations(e.dynamicReservations()));
      case StateEvent.AgentRemoved e -> {
        agents.remove(e.agentId());
        remember(goneAgents, e.agentId(), e.at());
        if (e.revoked()) {
          revokedAgents.add(e.agentId());
        }
      }
      case StateEvent.FrameworkUpserted e -> {
        if (!removedFrameworks.containsKey(e.framework().id())) {
          frameworks.put(e.framework().id(), e.framework());
        }
      }
      case StateEvent.FrameworkRemoved e -> {
        frameworks.remove(e.frameworkId());
        remember(removedFrameworks, e.frameworkId(), e.at());
        store.remove(e.frameworkId());
        tasks.keySet().removeIf(k -> k.frameworkId().equals(e.frameworkId()));
      }
      case StateEvent.TaskAdded e -> {
        if (frameworks.containsKey(e.task().frameworkId())) {
          tasks.put(new TaskKey(e.task().frameworkId(), e.task().taskId()), e.task());
        }
      }
      case StateEvent.TaskStatusChanged e ->
          tasks.computeIfPresent(
              new TaskKey(e.status().frameworkId(), e.status().taskId()),
              (k, t) -> t.withStatus(e.status()));
      case StateEvent.TaskAcknowledged e ->
          tasks.computeIfPresent(
              new TaskKey(e.frameworkId(), e.taskId()), (k, t) -> t.acknowledged(e.uuid()));
      case StateEvent.TaskRemoved e -> tasks.remove(new TaskKey(e.frameworkId(), e.taskId()));
      case StateEvent.IdsForgotten e -> {
        e.agentIds().forEach(goneAgents::remove);
        e.agentIds().forEach(revokedAgents::remove);
        e.frameworkIds().forEach(removedFrameworks::remove);
      }
      case StateEvent.RoleConfigured e -> roles.put(e.role().role(), e.role());
      case StateEvent.StorePut e -> {
        if (frameworks.containsKey(e.frameworkId())) {
          store.computeIfAbsent(e.frameworkId(), f -> new TreeMap<>()).put(e.key(), e.value());
        }
      }
      case StateEvent.JoinTokenPut e -> joinTokens.put(e.token().id(), e.token());
      case StateEvent.JoinTokenRemoved e -> joinTokens.remove(e.id());
      case StateEvent.StoreDeleted e -> {
        TreeMap<String, JsonNode> entries = store.get(e.frameworkId());
        if (entries != null) {
          entries.remove(e.key());
          if (entries.isEmpty()) {
            store.remove(e.frameworkId());
          }
        }
      }
    }
  }

  /** Keeps the first known removal time: a repeated removal without one does not erase it. */
  private static <I> void remember(Map<I, Instant> removed, I id, Instant at) {
    if (at != null || !removed.containsKey(id)) {
      removed.put(id, at);
    }
  }

  /** A canonical, immutable copy. Costs time proportional to the state's size. */
  public StateSnapshot snapshot() {
    List<AgentRecord> a = new ArrayList<>(agents.values());
    a.sort((x, y) -> x.id().compareTo(y.id()));
    List<FrameworkRecord> f = new ArrayList<>(frameworks.values());
    f.sort((x, y) -> x.id().compareTo(y.id()));
    List<TaskRecord> t = new ArrayList<>(tasks.values());
    t.sort(
        (x, y) -> {
          int c = x.frameworkId().compareTo(y.frameworkId());
          return c != 0 ? c : x.taskId().compareTo(y.taskId());
        });
    List<RoleRecord> r = new ArrayList<>(roles.values());
    r.sort((x, y) -> x.role().compareTo(y.role()));
    List<StoreEntry> s = new ArrayList<>();
    new TreeMap<>(store)
        .forEach((fw, entries) -> entries.forEach((k, v) -> s.add(new StoreEntry(fw, k, v))));
    List<GoneAgent> gone = new ArrayList<>();
    goneAgents.forEach((id, at) -> gone.add(new GoneAgent(id, at, revokedAgents.contains(id))));
    List<RemovedFramework> removed = new ArrayList<>();
    removedFrameworks.forEach((id, at) -> removed.add(new RemovedFramework(id, at)));
    return new StateSnapshot(a, gone, f, removed, t, r, s, new ArrayList<>(joinTokens.values()));
  }
}
