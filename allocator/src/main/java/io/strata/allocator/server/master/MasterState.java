package io.strata.allocator.server.master;

import io.strata.allocator.state.AgentRecord;
import io.strata.allocator.state.DurableState;
import io.strata.allocator.state.DurableState.TaskKey;
import io.strata.allocator.state.FrameworkRecord;
import io.strata.allocator.state.StateEvent;
import io.strata.allocator.state.TaskRecord;
import io.strata.api.AgentId;
import io.strata.api.FrameworkId;
import io.strata.api.TaskId;
import java.time.Instant;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The master's state, changed only by {@link #apply}: the durable part is a {@link DurableState},
 * the very fold the journal replays, and beside it the indexes derived from the same events in the
 * same call (the entries by id, each agent's and framework's tasks, the refused ids in removal
 * order). Live and in recovery, events pass through here, so the two cannot disagree.
 *
 * <p>What is not an event's consequence (mailboxes, subscriptions, reachability, the allocator
 * core's accounting, offers) is kept by the operations as explicit effects; see docs/master.md. Not
 * thread-safe: the master's lock guards it.
 */
final class MasterState {
  private final DurableState durable = new DurableState();
  private final Map<AgentId, AgentEntry> agents = new LinkedHashMap<>();
  private final Map<FrameworkId, FrameworkEntry> frameworks = new LinkedHashMap<>();
  final RemovedIds<AgentId> goneAgents = new RemovedIds<>();
  final RemovedIds<FrameworkId> removedFrameworks = new RemovedIds<>();

  /** Tasks a kill was requested for (in memory): re-sent when their agent re-registers. */
  final Set<TaskKey> killRequested = new HashSet<>();

  final Map<AgentId, AgentEntry> agentsView = Collections.unmodifiableMap(agents);
  final Map<FrameworkId, FrameworkEntry> frameworksView = Collections.unmodifiableMap(frameworks);

  /**
   * The highest {@link FrameworkRecord#subscriptionOrder()} applied: a new framework takes next.
   */
  private long lastSubscriptionOrder;

  MasterState() {}

  /** The subscription order for a framework subscribing for the first time. */
  long nextSubscriptionOrder() {
    return lastSubscriptionOrder + 1;
  }

  DurableState durable() {
    return durable;
  }

  /**
   * Applies one event: the durable fold, and the indexes from what it now holds. An agent's entry
   * appears stamped with {@code now} (the operation's time) as its last contact and not registered
   * since the start, which a registration then sets as its own effect.
   */
  void apply(StateEvent event, Instant now) {
    // What the fold is about to drop, the indexes still need: unindex it first.
    if (event instanceof StateEvent.TaskRemoved e) {
      unindex(e.frameworkId(), e.taskId());
    } else if (event instanceof StateEvent.FrameworkRemoved e) {
      FrameworkEntry fw = frameworks.get(e.frameworkId());
      if (fw != null) {
        for (TaskId id : List.copyOf(fw.tasks)) {
          unindex(e.frameworkId(), id);
        }
      }
    }
    durable.apply(event);
    switch (event) {
      case StateEvent.AgentUpserted e -> agentChanged(e.agent().id(), now);
      case StateEvent.AgentStateChanged e -> agentChanged(e.agentId(), now);
      case StateEvent.ReservationsChanged e -> agentChanged(e.agentId(), now);
      case StateEvent.AgentRemoved e -> {
        agents.remove(e.agentId());
        goneAgents.add(e.agentId(), e.at() == null ? now : e.at());
      }
      case StateEvent.FrameworkUpserted e -> {
        FrameworkRecord record = durable.framework(e.framework().id());
        if (record != null) {
          lastSubscriptionOrder = Math.max(lastSubscriptionOrder, record.subscriptionOrder());
          FrameworkEntry fw = frameworks.get(record.id());
          if (fw == null) {
            frameworks.put(record.id(), new FrameworkEntry(record));
          } else {
            fw.record = record;
          }
        }
      }
      case StateEvent.FrameworkRemoved e -> {
        frameworks.remove(e.frameworkId());
        removedFrameworks.add(e.frameworkId(), e.at() == null ? now : e.at());
      }
      case StateEvent.TaskAdded e -> {
        TaskRecord t = e.task();
        TaskKey key = new TaskKey(t.frameworkId(), t.taskId());
        if (durable.task(key) == t) {
          AgentEntry agent = agents.get(t.agentId());
          if (agent != null) {
            agent.tasks.add(key);
          }
          FrameworkEntry fw = frameworks.get(t.frameworkId());
          if (fw != null) {
            fw.tasks.add(t.taskId());
          }
        }
      }
      case StateEvent.TaskRemoved e -> {}
      case StateEvent.IdsForgotten e -> {
        e.agentIds().forEach(goneAgents::remove);
        e.frameworkIds().forEach(removedFrameworks::remove);
      }
      case StateEvent.TaskStatusChanged e -> {}
      case StateEvent.TaskAcknowledged e -> {}
      case StateEvent.RoleConfigured e -> {}
      case StateEvent.StorePut e -> {}
      case StateEvent.StoreDeleted e -> {}
      case StateEvent.JoinTokenPut e -> {}
      case StateEvent.JoinTokenRemoved e -> {}
    }
  }

  private void agentChanged(AgentId id, Instant now) {
    AgentRecord record = durable.agent(id);
    if (record == null) {
      return;
    }
    AgentEntry entry = agents.get(id);
    if (entry == null) {
      agents.put(id, new AgentEntry(record, now, false));
    } else {
      entry.record = record;
    }
  }

  /** Drops a task from the kill requests and from its agent's and framework's indexes. */
  private void unindex(FrameworkId frameworkId, TaskId taskId) {
    TaskKey key = new TaskKey(frameworkId, taskId);
    TaskRecord task = durable.task(key);
    if (task == null) {
      return;
    }
    killRequested.remove(key);
    AgentEntry agent = agents.get(task.agentId());
    if (agent != null) {
      agent.tasks.remove(key);
    }
    FrameworkEntry fw = frameworks.get(frameworkId);
    if (fw != null) {
      fw.tasks.remove(taskId);
    }
  }
}
