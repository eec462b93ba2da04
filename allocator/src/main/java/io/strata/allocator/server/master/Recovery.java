package io.strata.allocator.server.master;

import io.strata.allocator.state.AgentRecord;
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
 * Rebuilds the master and the allocator core from the recovered state. The snapshot enters the
 * master's state as events, through the same apply as every live change ({@link Master#load}); what
 * recovery itself decides (a removal recorded without a time counts from now, a framework recorded
 * as connected is disconnected now) is journaled like any change. Then the derived state: agents
 * come back waiting to re-register (their resources counted in the core, nothing offered);
 * frameworks come back disconnected, their failover clocks running from now at the latest.
 */
public final class Recovery {
  private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

  private Recovery() {}

  public static void rebuild(Master m, StateSnapshot s) {
    Comparator<Instant> byTime = Comparator.nullsLast(Comparator.naturalOrder());
    m.run(
        c -> {
          Instant now = c.now();
          for (RoleRecord r : s.roles()) {
            m.load(c, new StateEvent.RoleConfigured(r));
            m.core.setWeight(r.role(), r.weight());
            m.core.setQuota(r.role(), r.quota());
          }
          // Oldest first, so they are forgotten in that order.
          s.goneAgents().stream()
              .sorted(Comparator.comparing(GoneAgent::at, byTime).thenComparing(GoneAgent::agentId))
              .forEach(
                  g -> {
                    if (g.at() == null) {
                      c.journal(new StateEvent.AgentRemoved(g.agentId(), now, g.revoked()));
                    } else {
                      m.load(c, new StateEvent.AgentRemoved(g.agentId(), g.at(), g.revoked()));
                    }
                  });
          s.removedFrameworks().stream()
              .sorted(
                  Comparator.comparing(RemovedFramework::at, byTime)
                      .thenComparing(RemovedFramework::frameworkId))
              .forEach(
                  r -> {
                    if (r.at() == null) {
                      c.journal(new StateEvent.FrameworkRemoved(r.frameworkId(), now));
                    } else {
                      m.load(c, new StateEvent.FrameworkRemoved(r.frameworkId(), r.at()));
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
            m.load(c, new StateEvent.AgentUpserted(a));
            m.core.addAgent(a.id(), a.info(), a.total(), used.getOrDefault(a.id(), Map.of()));
            m.core.deactivateAgent(a.id());
          }
          // In subscription order: the core breaks ties within a role by the order of addFramework.
          for (FrameworkRecord f : s.frameworks().stream().sorted(FrameworkRecord.ORDER).toList()) {
            if (f.disconnectedAt() == null) {
              c.journal(new StateEvent.FrameworkUpserted(f.withDisconnectedAt(now)));
            } else {
              m.load(c, new StateEvent.FrameworkUpserted(f));
            }
            // Suppression survives the restart until the framework subscribes again.
            Set<String> suppressed = new TreeSet<>(f.suppressedRoles());
            suppressed.retainAll(f.info().roles());
            m.core.addFramework(f.id(), f.info(), Map.of(), false, suppressed);
          }
          for (TaskRecord t : s.tasks()) {
            m.load(c, new StateEvent.TaskAdded(t));
          }
          s.joinTokens().forEach(j -> m.load(c, new StateEvent.JoinTokenPut(j)));
          for (StoreEntry e : s.store()) {
            m.load(c, new StateEvent.StorePut(e.frameworkId(), e.key(), e.value()));
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
