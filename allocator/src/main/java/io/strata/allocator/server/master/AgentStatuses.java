package io.strata.allocator.server.master;

import io.strata.allocator.state.DurableState.TaskKey;
import io.strata.allocator.state.TaskRecord;
import io.strata.api.AgentId;
import io.strata.api.TaskStatus;
import io.strata.api.agent.AgentMessage;
import io.strata.api.agent.ReportedTask;
import io.strata.api.agent.StatusAck;
import io.strata.api.agent.StatusAcks;
import io.strata.api.agent.StatusUpdates;
import io.strata.api.json.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The status updates agents send: checked (a uuid, the agent's own id, only tasks the allocator
 * gave this agent), then applied in order and made durable before they are acknowledged.
 */
public final class AgentStatuses {
  private static final Logger LOG = LoggerFactory.getLogger(AgentStatuses.class);
  private final Master m;
  private final AgentOps agents;

  AgentStatuses(Master master, AgentOps agents) {
    this.m = master;
    this.agents = agents;
  }

  public StatusAck status(AgentId id, TaskStatus status) {
    List<Violation> bad = new ArrayList<>();
    TaskStatus update = checked(id, status, "", bad);
    if (!bad.isEmpty()) {
      throw ApiError.invalid(400, "Invalid status update", bad);
    }
    return m.run(
        c -> {
          requireOwnTasks(id, List.of(update), "", "Status update refused");
          apply(c, seen(c, id), update);
          return new StatusAck(update.uuid());
        });
  }

  /**
   * Many updates of one agent, in order, made durable together (one journal record, so one fsync)
   * before the answer. All or nothing: one invalid update refuses the whole batch, with each
   * violation under {@code updates[i]}.
   */
  public StatusAcks statuses(AgentId id, StatusUpdates batch) {
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
          AgentEntry entry = seen(c, id);
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
      TaskRecord task = m.task(new TaskKey(u.frameworkId(), u.taskId()));
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
  private AgentEntry seen(Change c, AgentId id) {
    AgentEntry entry = agents.known(id);
    if (entry.isLive()) {
      entry.lastSeen = c.now();
    }
    return entry;
  }

  private void apply(Change c, AgentEntry entry, TaskStatus update) {
    AgentId id = entry.record.id();
    TaskKey key = new TaskKey(update.frameworkId(), update.taskId());
    TaskRecord task = m.task(key);
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
      agents.killUnknown(
          c, entry, new ReportedTask(update.frameworkId(), update.taskId(), update.state()));
    }
  }
}
