package io.strata.workloads.framework;

import io.strata.api.AgentId;
import io.strata.api.TaskId;
import io.strata.workloads.core.InstancePhase;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The tasks a framework tracks, by owner (app or job id, the task id's first part) in id order, and
 * within an owner in the order they were decided. Event-loop thread only.
 */
public final class TaskTable {
  private final Map<String, Map<TaskId, TrackedTask>> byOwner = new TreeMap<>();
  private boolean added;

  /** The owner of a task id: its part before the first dot. */
  public static String ownerOf(TaskId id) {
    int dot = id.value().indexOf('.');
    return dot < 0 ? id.value() : id.value().substring(0, dot);
  }

  /** The task id {@code text} if it is one, else empty. */
  public static Optional<TaskId> parse(String text) {
    try {
      return Optional.of(TaskId.of(text));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  public TrackedTask get(TaskId id) {
    Map<TaskId, TrackedTask> tasks = byOwner.get(ownerOf(id));
    return tasks == null ? null : tasks.get(id);
  }

  public boolean contains(TaskId id) {
    return get(id) != null;
  }

  /** Adds a newly decided task; {@link #takeAdded} tells the shell new work appeared. */
  public void create(TrackedTask task) {
    put(task);
    added = true;
  }

  /** Adds or replaces a task (a replaced one keeps its place in its owner's order). */
  public void put(TrackedTask task) {
    byOwner.computeIfAbsent(task.owner(), k -> new LinkedHashMap<>()).put(task.id(), task);
  }

  public void remove(TaskId id) {
    Map<TaskId, TrackedTask> tasks = byOwner.get(ownerOf(id));
    if (tasks != null) {
      tasks.remove(id);
    }
  }

  /** The owner's tasks, in order (a view: do not change the table while iterating it). */
  public Collection<TrackedTask> of(String owner) {
    Map<TaskId, TrackedTask> tasks = byOwner.get(owner);
    return tasks == null ? List.of() : tasks.values();
  }

  /** A copy of the owner's tasks, to change the table while going through them. */
  public List<TrackedTask> copyOf(String owner) {
    return new ArrayList<>(of(owner));
  }

  public int count(String owner) {
    Map<TaskId, TrackedTask> tasks = byOwner.get(owner);
    return tasks == null ? 0 : tasks.size();
  }

  /** Every task, owners in id order. */
  public List<TrackedTask> all() {
    List<TrackedTask> out = new ArrayList<>();
    byOwner.values().forEach(m -> out.addAll(m.values()));
    return out;
  }

  /** Forgets the owner's tasks. */
  public void drop(String owner) {
    byOwner.remove(owner);
  }

  public void clear() {
    byOwner.clear();
  }

  /** Whether a task was created since the last call. */
  public boolean takeAdded() {
    boolean was = added;
    added = false;
    return was;
  }

  /** For each owner, the agents its launched tasks are on (one entry per task), for placement. */
  public Map<String, List<AgentId>> running() {
    Map<String, List<AgentId>> out = new HashMap<>();
    byOwner.forEach(
        (owner, tasks) -> {
          List<AgentId> agents = new ArrayList<>();
          for (TrackedTask t : tasks.values()) {
            if (t.phase() != InstancePhase.PENDING && t.agent() != null) {
              agents.add(t.agent());
            }
          }
          out.put(owner, agents);
        });
    return out;
  }
}
