package io.strata.allocator.server.master;

import io.strata.allocator.state.AgentRecord;
import io.strata.allocator.state.DurableState.TaskKey;
import io.strata.allocator.state.FrameworkRecord;
import io.strata.allocator.state.GoneAgent;
import io.strata.allocator.state.RemovedFramework;
import io.strata.allocator.state.RoleRecord;
import io.strata.allocator.state.StateEvent;
import io.strata.allocator.state.StateSnapshot;
import io.strata.allocator.state.StoreEntry;
import io.strata.allocator.state.TaskRecord;
import io.strata.api.AgentId;
import io.strata.api.FrameworkId;
import io.strata.api.ResourcePool;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the master and the allocator core from the recovered state. Agents come back waiting to
 * re-register (their resources counted, nothing offered); frameworks come back disconnected, their
 * failover clocks running from now at the latest.
 */
public final class Recovery {
  private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

  private Recovery() {}

  public static void rebuild(Master m, StateSnapshot s) {
    Instant now = m.now();
    Comparator<Instant> byTime = Comparator.nullsLast(Comparator.naturalOrder());
    m.run(
        c -> {
          for (RoleRecord r : s.roles()) {
            m.roles.put(r.role(), r);
            m.core.setWeight(r.role(), r.weight());
            m.core.setQuota(r.role(), r.quota());
          }
          // Oldest first, so they are forgotten in that order. A removal recorded before removals
          // were timed counts from now, durably.
          s.goneAgents().stream()
              .sorted(Comparator.comparing(GoneAgent::at, byTime).thenComparing(GoneAgent::agentId))
              .forEach(
                  g -> {
                    m.goneAgents.add(g.agentId(), g.at() == null ? now : g.at());
                    if (g.revoked()) {
                      m.revokedAgents.add(g.agentId());
                    }
                    if (g.at() == null) {
                      c.journal(new StateEvent.AgentRemoved(g.agentId(), now));
                    }
                  });
          s.removedFrameworks().stream()
              .sorted(
                  Comparator.comparing(RemovedFramework::at, byTime)
                      .thenComparing(RemovedFramework::frameworkId))
              .forEach(
                  r -> {
                    m.removedFrameworks.add(r.frameworkId(), r.at() == null ? now : r.at());
                    if (r.at() == null) {
                      c.journal(new StateEvent.FrameworkRemoved(r.frameworkId(), now));
                    }
                  });

          // What each agent's active tasks use, by framework and role.
          Map<AgentId, Map<FrameworkId, Map<String, ResourcePool>>> used = new HashMap<>();
          for (TaskRecord t : s.tasks()) {
            if (t.latest().state().isActive()) {
              used.computeIfAbsent(t.agentId(), a -> new TreeMap<>())
                  .computeIfAbsent(t.frameworkId(), f -> new TreeMap<>())
                  .merge(t.role(), t.consumed(), ResourcePool::plus);
            }
          }
          for (AgentRecord a : s.agents()) {
            m.agents.put(a.id(), new AgentEntry(a, now, false));
            m.core.addAgent(a.id(), a.info(), a.total(), used.getOrDefault(a.id(), Map.of()));
            m.core.deactivateAgent(a.id());
          }
          for (FrameworkRecord f : s.frameworks()) {
            FrameworkRecord record = f;
            if (f.disconnectedAt() == null) {
              record = f.withDisconnectedAt(now);
              c.journal(new StateEvent.FrameworkUpserted(record));
            }
            m.frameworks.put(f.id(), new FrameworkEntry(record));
            // Suppression survives the restart until the framework subscribes again.
            Set<String> suppressed = new TreeSet<>(f.suppressedRoles());
            suppressed.retainAll(f.info().roles());
            m.core.addFramework(f.id(), f.info(), Map.of(), false, suppressed);
          }
          for (TaskRecord t : s.tasks()) {
            TaskKey key = TaskOps.key(t);
            m.tasks.put(key, t);
            AgentEntry agent = m.agents.get(t.agentId());
            if (agent != null) {
              agent.tasks.add(key);
            }
            FrameworkEntry fw = m.frameworks.get(t.frameworkId());
            if (fw != null) {
              fw.tasks.add(t.taskId());
            }
          }
          s.joinTokens().forEach(j -> m.joinTokens.put(j.id(), j));
          for (StoreEntry e : s.store()) {
            m.storeEntries
                .computeIfAbsent(e.frameworkId(), f -> new TreeMap<>())
                .put(e.key(), e.value());
          }
          LOG.info(
              "recovered {} agents, {} frameworks, {} tasks, {} roles, {} store entries",
              s.agents().size(),
              s.frameworks().size(),
              s.tasks().size(),
              s.roles().size(),
              s.store().size());
          return null;
        });
  }
}
