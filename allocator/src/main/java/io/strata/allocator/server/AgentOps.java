package io.strata.allocator.server;

import io.strata.allocator.state.AgentRecord;
import io.strata.allocator.state.DurableState.TaskKey;
import io.strata.allocator.state.StateEvent;
import io.strata.allocator.state.TaskRecord;
import io.strata.api.AgentId;
import io.strata.api.Reason;
import io.strata.api.ResourcePool;
import io.strata.api.Resources;
import io.strata.api.TaskState;
import io.strata.api.TaskStatus;
import io.strata.api.agent.AgentMessage;
import io.strata.api.agent.AgentRegistered;
import io.strata.api.agent.RegisterAgent;
import io.strata.api.agent.ReportedTask;
import io.strata.api.agent.StatusAck;
import io.strata.api.agent.StatusAcks;
import io.strata.api.agent.StatusUpdates;
import io.strata.api.json.Violation;
import io.strata.api.operator.AgentState;
import io.strata.api.scheduler.SchedulerEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Agents: registration and re-registration (with task reconciliation), heartbeats, status updates,
 * their streams and reachability (UNREACHABLE, then GONE).
 */
final class AgentOps {
  private static final Logger LOG = LoggerFactory.getLogger(AgentOps.class);
  private final Master m;

  AgentOps(Master master) {
    this.m = master;
  }

  /**
   * A new agent (it presented a join token): the allocator names it, and only the credential whose
   * SHA-256 is {@code credentialSha256} acts for it from now on. Whatever it reports running is
   * unknown here, and killed.
   */
  AgentRegistered join(RegisterAgent request, String credentialSha256) {
    return m.run(
        c -> {
          AgentEntry entry =
              add(c, AgentId.of("A-" + UUID.randomUUID()), request, credentialSha256);
          c.allocate();
          return new AgentRegistered(entry.record.id(), m.config.agentHeartbeatIntervalMillis());
        });
  }

  /**
   * A known agent registers again (after its restart, the allocator's, or being UNREACHABLE) and
   * its tasks are reconciled. {@code authenticate} runs first, under the lock: it throws unless the
   * caller presented the agent's own credential.
   */
  AgentRegistered reregister(RegisterAgent request, Runnable authenticate) {
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
    Instant now = m.now();
    AgentRecord record =
        new AgentRecord(
            id, request.info(), AgentState.ACTIVE, Map.of(), now, null, false, credentialSha256);
    AgentEntry entry = new AgentEntry(record, now, true);
    m.agents.put(id, entry);
    c.journal(new StateEvent.AgentUpserted(record));
    m.core.addAgent(id, request.info(), record.total(), Map.of());
    LOG.info("agent {} ({}) registered", id, request.info().hostname());
    // Whatever it still runs, the allocator does not know: kill it.
    for (ReportedTask t : request.tasks()) {
      killUnknown(c, entry, t);
    }
    return entry;
  }

  private void reregister(Change c, AgentEntry entry, RegisterAgent request) {
    Instant now = m.now();
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
      TaskRecord task = m.tasks.get(key);
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
                m.tasks().made(task, r.state(), null, "agent " + id + " is reachable again"));
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
                        task,
                        TaskState.LOST,
                        Reason.AGENT_RESTARTED,
                        "agent " + id + " re-registered without this task"));
      }
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
    entry.record = record;
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

  private void killUnknown(Change c, AgentEntry entry, ReportedTask t) {
    if (t.state().isTerminal()) {
      return;
    }
    Reason reason =
        m.removedFrameworks.contains(t.frameworkId())
            ? Reason.FRAMEWORK_REMOVED
            : Reason.TASK_UNKNOWN;
    m.toAgent(c, entry, new AgentMessage.KillTask(t.frameworkId(), t.taskId(), null, reason));
  }

  void heartbeat(AgentId id) {
    m.run(
        c -> {
          live(id).lastSeen = m.now();
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

  StatusAck status(AgentId id, TaskStatus status) {
    List<Violation> bad = new ArrayList<>();
    TaskStatus update = checked(id, status, "", bad);
    if (!bad.isEmpty()) {
      throw ApiError.invalid(400, "Invalid status update", bad);
    }
    return m.run(
        c -> {
          requireOwnTasks(id, List.of(update), "", "Status update refused");
          apply(c, seen(id), update);
          return new StatusAck(update.uuid());
        });
  }

  /**
   * Many updates of one agent, in order, made durable together (one journal record, so one fsync)
   * before the answer. All or nothing: one invalid update refuses the whole batch, with each
   * violation under {@code updates[i]}.
   */
  StatusAcks statuses(AgentId id, StatusUpdates batch) {
    List<Violation> bad = new ArrayList<>();
    List<TaskStatus> updates = new ArrayList<>(batch.updates().size());
    for (int i = 0; i < batch.updates().size(); i++) {
      updates.add(checked(id, batch.updates().get(i), "updates[" + i + "].", bad));
    }
    if (!bad.isEmpty()) {
      throw ApiError.invalid(400, "Invalid status updates", bad);
    }
    return m.run(
        c -> {
          requireOwnTasks(id, updates, "updates[", "Status updates refused");
          AgentEntry entry = seen(id);
          List<UUID> uuids = new ArrayList<>(updates.size());
          for (TaskStatus update : updates) {
            apply(c, entry, update);
            uuids.add(update.uuid());
          }
          return new StatusAcks(uuids);
        });
  }

  /** The update as the allocator records it (from this agent), or violations under {@code at}. */
  private static TaskStatus checked(AgentId id, TaskStatus status, String at, List<Violation> bad) {
    int before = bad.size();
    if (status.uuid() == null) {
      bad.add(new Violation(at + "uuid", "is required: agents identify every update by a uuid"));
    }
    if (status.frameworkId() == null) {
      bad.add(new Violation(at + "frameworkId", "is required"));
    }
    if (status.agentId() != null && !status.agentId().equals(id)) {
      bad.add(
          new Violation(at + "agentId", "is " + status.agentId() + " but the path names " + id));
    }
    if (bad.size() > before) {
      return null;
    }
    return new TaskStatus(
        status.taskId(),
        status.frameworkId(),
        id,
        status.state(),
        status.reason(),
        status.message(),
        TaskStatus.Source.AGENT,
        status.uuid(),
        status.timestamp(),
        status.healthy(),
        status.exitCode());
  }

  /**
   * Refuses (403, nothing applied) updates about tasks the allocator holds on another agent: an
   * agent reports only the tasks given to it. Updates about tasks the allocator does not hold at
   * all (ended and forgotten, or never launched) change nothing: {@link #apply} acknowledges them
   * so the agent forgets them, and kills the task if it still runs.
   */
  private void requireOwnTasks(AgentId id, List<TaskStatus> updates, String at, String title) {
    List<Violation> bad = new ArrayList<>();
    for (int i = 0; i < updates.size(); i++) {
      TaskStatus u = updates.get(i);
      TaskRecord task = m.tasks.get(new TaskKey(u.frameworkId(), u.taskId()));
      if (task != null && !task.agentId().equals(id)) {
        bad.add(
            new Violation(
                (at.isEmpty() ? "" : at + i + "].") + "taskId",
                "task "
                    + u.taskId()
                    + " of framework "
                    + u.frameworkId()
                    + " is not on agent "
                    + id
                    + ": an agent reports only the tasks the allocator gave it"));
      }
    }
    if (!bad.isEmpty()) {
      throw ApiError.invalid(403, title, bad);
    }
  }

  /** The agent sending updates; a live one is seen now. */
  private AgentEntry seen(AgentId id) {
    AgentEntry entry = known(id);
    if (entry.isLive()) {
      entry.lastSeen = m.now();
    }
    return entry;
  }

  private void apply(Change c, AgentEntry entry, TaskStatus update) {
    AgentId id = entry.record.id();
    TaskKey key = new TaskKey(update.frameworkId(), update.taskId());
    TaskRecord task = m.tasks.get(key);
    if (task == null || !task.agentId().equals(id)) {
      forget(c, entry, update);
    } else if (task.isPending(update.uuid())) {
      LOG.debug("duplicate update {} for task {}", update.uuid(), key);
    } else if (update.uuid().equals(task.latest().uuid())) {
      // Already acknowledged by the framework; the agent missed our Acknowledge.
      m.toAgent(
          c,
          entry,
          new AgentMessage.Acknowledge(update.frameworkId(), update.taskId(), update.uuid()));
    } else if (task.latest().state().isTerminal()) {
      if (update.state().isActive()) {
        m.tasks().kill(c, task, null, task.latest().reason());
      }
      m.toAgent(
          c,
          entry,
          new AgentMessage.Acknowledge(update.frameworkId(), update.taskId(), update.uuid()));
    } else {
      m.tasks().record(c, task, update);
    }
  }

  /** An update for a task the allocator does not hold: let the agent forget it, kill it. */
  private void forget(Change c, AgentEntry entry, TaskStatus update) {
    m.toAgent(
        c,
        entry,
        new AgentMessage.Acknowledge(update.frameworkId(), update.taskId(), update.uuid()));
    if (update.state().isActive()) {
      killUnknown(
          c, entry, new ReportedTask(update.frameworkId(), update.taskId(), update.state()));
    }
  }

  /**
   * Opens the agent's stream. What is still outstanding is queued again, because a message taken by
   * a connection that had just died may never have arrived: Drain while draining, RunTask for tasks
   * not started yet, KillTask for kills asked for. Agents handle repeats idempotently.
   */
  Master.Connection<AgentMessage> openStream(AgentId id) {
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
  boolean revoke(AgentId id) {
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
    // Out of the map first: the GONE updates below must not see it as a draining agent again.
    m.agents.remove(id);
    m.offerOps().rescindAllOn(c, entry);
    for (TaskRecord t : m.tasks().activeOn(entry)) {
      m.tasks()
          .record(
              c,
              t,
              m.tasks().made(t, TaskState.GONE, Reason.AGENT_GONE, "agent " + id + ": " + why));
    }
    m.core.removeAgent(id);
    Instant now = m.now();
    m.goneAgents.add(id, now);
    if (revoked) {
      m.revokedAgents.add(id);
    }
    c.journal(new StateEvent.AgentRemoved(id, now, revoked));
    m.toAgent(c, entry, new AgentMessage.Shutdown("removed by the allocator: " + why));
    c.deliver(entry.mailbox::finish);
    for (FrameworkEntry fw : m.frameworks.values()) {
      m.toFramework(c, fw, new SchedulerEvent.Failure(id, "agent " + id + " is gone: " + why));
    }
    c.allocate();
  }
}
