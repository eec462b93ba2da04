package io.strata.allocator.server.master;

import io.strata.allocator.state.AgentRecord;
import io.strata.allocator.state.StateEvent;
import io.strata.allocator.state.TaskRecord;
import io.strata.api.AgentId;
import io.strata.api.Reason;
import io.strata.api.agent.AgentMessage;
import io.strata.api.operator.AgentState;
import io.strata.api.operator.AgentView;
import io.strata.api.operator.DrainRequest;
import io.strata.api.scheduler.SchedulerEvent;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maintenance: draining an agent (no more offers, frameworks told, tasks killed at the deadline,
 * DRAINED once empty, removed if marked gone) and reactivating it.
 */
public final class Maintenance {
  private static final Logger LOG = LoggerFactory.getLogger(Maintenance.class);
  private final Master m;

  Maintenance(Master master) {
    this.m = master;
  }

  void killAtDrainDeadline(Change c, AgentEntry entry, Instant now) {
    AgentRecord r = entry.record;
    if (r.state() == AgentState.DRAINING
        && r.drainDeadline() != null
        && !r.drainDeadline().isAfter(now)
        && !entry.drainKillsSent) {
      entry.drainKillsSent = true;
      for (TaskRecord t : m.tasks().activeOn(entry)) {
        m.tasks().kill(c, t, null, Reason.AGENT_DRAINING);
      }
    }
  }

  public AgentView drain(AgentId id, DrainRequest request) {
    return m.run(
        c -> {
          AgentEntry entry = m.agents().known(id);
          Instant now = c.now();
          Instant deadline =
              request.gracePeriodMillis() == null
                  ? null
                  : now.plusMillis(request.gracePeriodMillis());
          c.journal(
              new StateEvent.AgentStateChanged(
                  id, AgentState.DRAINING, deadline, request.markGone()));
          entry.drainKillsSent = false;
          m.core.deactivateAgent(id);
          m.offerOps().rescindAllOn(c, entry);
          m.toAgent(c, entry, new AgentMessage.Drain(deadline));
          Set<FrameworkEntry> notified = new HashSet<>();
          for (TaskRecord t : m.tasks().activeOn(entry)) {
            FrameworkEntry fw = m.frameworks.get(t.frameworkId());
            if (fw != null && notified.add(fw)) {
              m.toFramework(
                  c, fw, new SchedulerEvent.Drain(id, entry.record.info().hostname(), deadline));
            }
          }
          LOG.info(
              "agent {} draining (deadline {}, markGone {})", id, deadline, request.markGone());
          killAtDrainDeadline(c, entry, now);
          checkDrained(c, entry);
          // An idle agent marked gone is removed at once: answer with its last view, GONE.
          return m.agents.containsKey(id) ? m.views().agentLocked(id) : m.views().gone(entry);
        });
  }

  /** A draining agent with no active task left is DRAINED (and removed if so asked). */
  void checkDrained(Change c, AgentEntry entry) {
    if (entry.record.state() != AgentState.DRAINING || !m.tasks().activeOn(entry).isEmpty()) {
      return;
    }
    AgentId id = entry.record.id();
    if (entry.record.markGone()) {
      m.agents().remove(c, entry, "drained and marked gone by an operator");
      return;
    }
    c.journal(
        new StateEvent.AgentStateChanged(
            id, AgentState.DRAINED, entry.record.drainDeadline(), false));
    LOG.info("agent {} drained", id);
  }

  public AgentView reactivate(AgentId id) {
    return m.run(
        c -> {
          AgentEntry entry = m.agents().known(id);
          if (entry.record.state() != AgentState.ACTIVE) {
            c.journal(new StateEvent.AgentStateChanged(id, AgentState.ACTIVE, null, false));
            m.toAgent(c, entry, new AgentMessage.Reactivate());
            LOG.info("agent {} reactivated", id);
            if (entry.isLive()) {
              m.core.activateAgent(id);
              c.allocate();
            }
          }
          return m.views().agentLocked(id);
        });
  }
}
