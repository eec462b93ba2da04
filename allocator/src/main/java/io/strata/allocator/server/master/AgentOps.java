package io.strata.allocator.server.master;

import io.strata.allocator.state.AgentRecord;
import io.strata.allocator.state.DurableState.TaskKey;
import io.strata.allocator.state.StateEvent;
import io.strata.allocator.state.TaskRecord;
import io.strata.api.AgentId;
import io.strata.api.Reason;
import io.strata.api.ResourcePool;
import io.strata.api.Resources;
import io.strata.api.TaskState;
import io.strata.api.agent.AgentMessage;
import io.strata.api.agent.AgentRegistered;
import io.strata.api.agent.RegisterAgent;
import io.strata.api.agent.ReportedTask;
import io.strata.api.operator.AgentState;
import io.strata.api.scheduler.SchedulerEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Agents: registration and re-registration (with task reconciliation), heartbeats, their streams,
 * reachability (UNREACHABLE, then GONE) and revocation. Their status updates: {@link
 * AgentStatuses}.
 */
public final class AgentOps {
  private static final Logger LOG = LoggerFactory.getLogger(AgentOps.class);
  private final Master m;
  private final AgentStatuses statuses;

  AgentOps(Master master) {
    this.m = master;
    this.statuses = new AgentStatuses(master, this);
  }

  /** The status updates agents send. */
  public AgentStatuses statuses() {
    return statuses;
  }

  /**
   * A new agent (it presented a join token): the allocator names it, and only the credential whose
   * SHA-256 is {@code credentialSha256} acts for it from now on. Whatever it reports running is
   * unknown here, and killed.
   */
  public AgentRegistered join(RegisterAgent request, String credentialSha256) {
    return m.run(
        c -> {
          AgentEntry entry = add(c, AgentId.of("A-" + c.newId()), request, credentialSha256);
          c.allocate();
          return new AgentRegistered(entry.record.id(), m.config.agentHeartbeatIntervalMillis());
        });
  }

  /**
   * A known agent registers again (after its restart, the allocator's, or being UNREACHABLE) and
   * its tasks are reconciled. {@code authenticate} runs first, under the lock: it throws unless the
   * caller presented the agent's own credential.
   */
  public AgentRegistered reregister(RegisterAgent request, Runnable authenticate) {
    return m.run(
        c -> {
          authenticate.run();
          AgentEntry entry = known(request.agentId());
          reregister(c, entry, request);
          c.allocate();
          return new AgentRegistered(entry.record.id(), m.config.agentHeartbeatIntervalMillis());
        });
  }

  private AgentEntry add(Change c, AgentId id, RegisterAgent request, String credentialSha256) {
    Instant now = c.now();
    AgentRecord record =
        new AgentRecord(
            id, request.info(), AgentState.ACTIVE, Map.of(), now, null, false, credentialSha256);
    c.journal(new StateEvent.AgentUpserted(record));
    AgentEntry entry = m.agents.get(id);
    entry.registered = true;
    m.core.addAgent(id, request.info(), record.total(), Map.of());
    LOG.info("agent {} ({}) registered", id, request.info().hostname());
    // Whatever it still runs, the allocator does not know: kill it.
    for (ReportedTask t : request.tasks()) {
      killUnknown(c, entry, t);
    }
    return entry;
  }

  private void reregister(Change c, AgentEntry entry, RegisterAgent request) {
    Instant now = c.now();
    AgentId id = entry.record.id();
    AgentRecord old = entry.record;
    m.offerOps().rescindAllOn(c, entry);
    entry.mailbox.clear();
    entry.registered = true;
    entry.unreachableSince = null;
    entry.lastSeen = now;

    Set<TaskKey> reported = new HashSet<>();
    for (ReportedTask r : request.tasks()) {
      TaskKey key = new TaskKey(r.frameworkId(), r.taskId());
      TaskRecord task = m.task(key);
      if (task == null || !task.agentId().equals(id)) {
        killUnknown(c, entry, r);
        continue;
      }
      reported.add(key);
      if (task.latest().state().isTerminal()) {
        // The allocator gave up on it (e.g. LOST): it must not keep running.
        m.tasks().kill(c, task, null, Reason.AGENT_RESTARTED);
      } else if (m.killRequested.contains(key)) {
        m.tasks().kill(c, task, null, Reason.KILLED_BY_FRAMEWORK);
      } else if (task.latest().state() == TaskState.UNREACHABLE && r.state().isActive()) {
        m.tasks()
            .record(
                c,
                task,
                m.tasks().made(c, task, r.state(), null, "agent " + id + " is reachable again"));
      }
    }
    for (TaskRecord task : m.tasks().activeOn(entry)) {
      if (!reported.contains(TaskOps.key(task))) {
        m.tasks()
            .record(
                c,
                task,
                m.tasks()
                    .made(
                        c,
                        task,
                        TaskState.LOST,
                        Reason.AGENT_RESTARTED,
                        "agent " + id + " re-registered without this task"));
      }
    }

    if (!m.agents.containsKey(id)) {
      // Draining and marked gone, it re-registered without its last tasks: they are LOST, so it is
      // drained and was removed just now (its stream told to shut down). It must not come back.
      throw ApiError.gone(
          "agent "
              + id
              + " was drained and removed, as an operator asked; register again without an id");
    }
    AgentRecord record =
        new AgentRecord(
            id,
            request.info(),
            old.state(),
            old.dynamicReservations(),
            old.registeredAt(),
            old.drainDeadline(),
            old.markGone(),
            old.credentialSha256());
    c.journal(new StateEvent.AgentUpserted(record));
    m.core.updateAgent(id, request.info());
    ResourcePool total = record.total();
    if (!total.equals(m.core.agentTotal(id))) {
      // As Mesos: the agent says what it has. If its tasks use more, it is over-committed (shown in
      // its view); nothing over-committed is offered until enough of them end.
      m.core.updateAgentTotal(id, total);
      Resources over = m.core.agentOvercommitted(id);
      if (!over.isEmpty()) {
        LOG.warn(
            "agent {} re-registered with {}, less than its tasks use: over-committed by {}",
            id,
            total,
            over);
      }
    }
    if (record.state() == AgentState.ACTIVE) {
      m.core.activateAgent(id);
    } else {
      m.toAgent(c, entry, new AgentMessage.Drain(record.drainDeadline()));
      m.maintenance().checkDrained(c, entry);
    }
    LOG.info("agent {} ({}) re-registered", id, request.info().hostname());
  }

  void killUnknown(Change c, AgentEntry entry, ReportedTask t) {
    if (t.state().isTerminal()) {
      return;
    }
    Reason reason =
        m.removedFrameworks.contains(t.frameworkId())
            ? Reason.FRAMEWORK_REMOVED
            : Reason.TASK_UNKNOWN;
    m.toAgent(c, entry, new AgentMessage.KillTask(t.frameworkId(), t.taskId(), null, reason));
  }

  public void heartbeat(AgentId id) {
    m.run(
        c -> {
          live(id).lastSeen = c.now();
          return null;
        });
  }

  /** The agent, if it may heartbeat and stream: registered since start and reachable. */
  private AgentEntry live(AgentId id) {
    AgentEntry entry = known(id);
    if (!entry.isLive()) {
      throw ApiError.notFound(
          "agent " + id + " must re-register (the allocator restarted or lost touch with it)");
    }
    return entry;
  }

  AgentEntry known(AgentId id) {
    if (m.goneAgents.contains(id)) {
      throw ApiError.gone("agent " + id + " was removed; register again without an id");
    }
    AgentEntry entry = m.agents.get(id);
    if (entry == null) {
      throw ApiError.notFound("no agent " + id + "; register first");
    }
    return entry;
  }

  /**
   * Opens the agent's stream. What is still outstanding is queued again, because a message taken by
   * a connection that had just died may never have arrived: Drain while draining, RunTask for tasks
   * not started yet, KillTask for kills asked for. Agents handle repeats idempotently.
   */
  public Master.Connection<AgentMessage> openStream(AgentId id) {
    return m.read(
        () -> {
          AgentEntry entry = live(id);
          long number = entry.mailbox.attach();
          if (entry.record.state() == AgentState.DRAINING) {
            entry.mailbox.put(new AgentMessage.Drain(entry.record.drainDeadline()));
          }
          for (TaskRecord t : m.tasks().activeOn(entry)) {
            FrameworkEntry fw = m.frameworks.get(t.frameworkId());
            if (m.killRequested.contains(TaskOps.key(t))) {
              entry.mailbox.put(
                  new AgentMessage.KillTask(
                      t.frameworkId(), t.taskId(), t.task().killGracePeriodMillis(), null));
            } else if (t.latest().state() == TaskState.STAGING && fw != null) {
              entry.mailbox.put(
                  new AgentMessage.RunTask(t.frameworkId(), fw.record.info(), t.task()));
            }
          }
          return new Master.Connection<>(entry.mailbox, number);
        });
  }

  /** Reachability and drain deadlines; called periodically by the allocation loop. */
  void tick(Change c, Instant now) {
    for (AgentEntry entry : new ArrayList<>(m.agents.values())) {
      if (entry.unreachableSince == null) {
        if (entry.lastSeen.plusMillis(m.config.agentUnreachableAfterMillis()).isBefore(now)) {
          unreachable(c, entry, now);
        }
      } else if (!entry.unreachableSince.plusMillis(m.config.agentGoneAfterMillis()).isAfter(now)) {
        remove(c, entry, "unreachable for " + m.config.agentGoneAfterMillis() + " ms");
        continue;
      }
      m.maintenance().killAtDrainDeadline(c, entry, now);
    }
  }

  private void unreachable(Change c, AgentEntry entry, Instant now) {
    AgentId id = entry.record.id();
    LOG.warn("agent {} missed its heartbeats: UNREACHABLE", id);
    entry.unreachableSince = now;
    m.core.deactivateAgent(id);
    m.offerOps().rescindAllOn(c, entry);
    for (TaskRecord t : m.tasks().activeOn(entry)) {
      if (t.latest().state() != TaskState.UNREACHABLE) {
        m.tasks()
            .record(
                c,
                t,
                m.tasks()
                    .made(
                        c,
                        t,
                        TaskState.UNREACHABLE,
                        Reason.AGENT_UNREACHABLE,
                        "agent " + id + " missed its heartbeats"));
      }
    }
  }

  /** GONE: its tasks are GONE, its offers rescinded, the agent forgotten and its id refused. */
  void remove(Change c, AgentEntry entry, String why) {
    remove(c, entry, why, false);
  }

  /**
   * Revokes agent {@code id}'s credential: the agent is removed at once (as GONE: its tasks GONE,
   * frameworks told, its stream ended) and every later call for its id is answered 401 saying so.
   * Revoking an agent already removed changes nothing: its credential went with its record.
   *
   * @return false if the id is unknown
   */
  public boolean revoke(AgentId id) {
    return m.run(
        c -> {
          AgentEntry entry = m.agents.get(id);
          if (entry == null) {
            return m.goneAgents.contains(id);
          }
          remove(c, entry, "its credential was revoked by an operator", true);
          return true;
        });
  }

  private void remove(Change c, AgentEntry entry, String why, boolean revoked) {
    AgentId id = entry.record.id();
    LOG.warn("agent {} is GONE: {}", id, why);
    // Removed first: the GONE updates below must not see it as a draining agent again.
    Instant now = c.now();
    c.journal(new StateEvent.AgentRemoved(id, now, revoked));
    m.offerOps().rescindAllOn(c, entry);
    for (TaskRecord t : m.tasks().activeOn(entry)) {
      m.tasks()
          .record(
              c,
              t,
              m.tasks().made(c, t, TaskState.GONE, Reason.AGENT_GONE, "agent " + id + ": " + why));
    }
    m.core.removeAgent(id);
    m.toAgent(c, entry, new AgentMessage.Shutdown("removed by the allocator: " + why));
    m.endAgentStream(c, entry);
    for (FrameworkEntry fw : m.frameworks.values()) {
      m.toFramework(c, fw, new SchedulerEvent.Failure(id, "agent " + id + " is gone: " + why));
    }
    c.allocate();
  }
}
