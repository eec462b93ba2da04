package io.strata.allocator.server.master;

import io.strata.allocator.state.DurableState.TaskKey;
import io.strata.allocator.state.StateEvent;
import io.strata.allocator.state.TaskRecord;
import io.strata.api.AgentId;
import io.strata.api.Capabilities;
import io.strata.api.FrameworkId;
import io.strata.api.Reason;
import io.strata.api.TaskId;
import io.strata.api.TaskState;
import io.strata.api.TaskStatus;
import io.strata.api.agent.AgentMessage;
import io.strata.api.operator.AgentState;
import io.strata.api.scheduler.SchedulerEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A task's life at the allocator: launch, status updates (forwarded to the framework until it
 * acknowledges them), kill and reconciliation. Every call runs under the master's lock.
 *
 * <p>Updates the allocator makes itself (LOST, UNREACHABLE, GONE) carry a uuid, so they are
 * delivered at least once and acknowledged like an agent's; reconciliation answers carry none.
 */
final class TaskOps {
  private final Master m;

  TaskOps(Master master) {
    this.m = master;
  }

  void add(Change c, TaskRecord task) {
    c.journal(new StateEvent.TaskAdded(task));
  }

  /**
   * Records a status update (durably), frees the task's resources when it turns terminal and
   * forwards the update to the framework.
   */
  void record(Change c, TaskRecord task, TaskStatus status) {
    TaskKey key = key(task);
    boolean wasActive = task.latest().state().isActive();
    c.journal(new StateEvent.TaskStatusChanged(status));
    TaskRecord updated = m.task(key);
    FrameworkEntry fw = m.frameworks.get(task.frameworkId());
    if (fw != null) {
      m.toFramework(c, fw, new SchedulerEvent.Update(status));
    }
    if (wasActive && status.state().isTerminal()) {
      m.killRequested.remove(key);
      if (m.core.hasAgent(task.agentId())) {
        m.core.recoverResources(
            task.frameworkId(), task.agentId(), task.role(), task.consumed(), null, null);
      }
      c.allocate();
      AgentEntry agent = m.agents.get(task.agentId());
      if (agent != null) {
        m.maintenance().checkDrained(c, agent);
      }
    }
    if (status.state().isTerminal() && updated.unacknowledged().isEmpty()) {
      remove(c, updated);
    }
  }

  /** An update the allocator makes on its own; delivered reliably (it has a uuid). */
  TaskStatus made(Change c, TaskRecord task, TaskState state, Reason reason, String message) {
    return new TaskStatus(
        task.taskId(),
        task.frameworkId(),
        task.agentId(),
        state,
        reason,
        message,
        TaskStatus.Source.ALLOCATOR,
        c.newId(),
        c.now(),
        null,
        null);
  }

  void acknowledge(Change c, FrameworkId frameworkId, TaskId taskId, UUID uuid) {
    TaskKey key = new TaskKey(frameworkId, taskId);
    TaskRecord task = m.task(key);
    if (task == null || !task.isPending(uuid)) {
      return; // already acknowledged, or never needed it: acknowledging is idempotent
    }
    TaskStatus acked =
        task.unacknowledged().stream().filter(s -> uuid.equals(s.uuid())).findFirst().orElseThrow();
    c.journal(new StateEvent.TaskAcknowledged(frameworkId, taskId, uuid));
    TaskRecord updated = m.task(key);
    AgentEntry agent = m.agents.get(task.agentId());
    if (acked.source() == TaskStatus.Source.AGENT && agent != null) {
      m.toAgent(c, agent, new AgentMessage.Acknowledge(frameworkId, taskId, uuid));
    }
    if (updated.latest().state().isTerminal() && updated.unacknowledged().isEmpty()) {
      remove(c, updated);
    }
  }

  /** Asks the task's agent to kill it; remembered so a re-registering agent is asked again. */
  void kill(Change c, TaskRecord task, Long gracePeriodMillis, Reason reason) {
    m.killRequested.add(key(task));
    AgentEntry agent = m.agents.get(task.agentId());
    if (agent != null) {
      long grace =
          gracePeriodMillis != null ? gracePeriodMillis : task.task().killGracePeriodMillis();
      m.toAgent(
          c, agent, new AgentMessage.KillTask(task.frameworkId(), task.taskId(), grace, reason));
    }
  }

  /**
   * Kills a framework's tasks as {@link #kill(Change, TaskRecord, Long, Reason)} does, with one
   * message per agent (tasks with the same grace period together), not one per task.
   */
  void kill(Change c, List<TaskRecord> tasks, Long gracePeriodMillis, Reason reason) {
    Map<AgentId, Map<Long, List<TaskRecord>>> byAgent = new LinkedHashMap<>();
    for (TaskRecord task : tasks) {
      m.killRequested.add(key(task));
      long grace =
          gracePeriodMillis != null ? gracePeriodMillis : task.task().killGracePeriodMillis();
      byAgent
          .computeIfAbsent(task.agentId(), a -> new LinkedHashMap<>())
          .computeIfAbsent(grace, g -> new ArrayList<>())
          .add(task);
    }
    byAgent.forEach(
        (agentId, byGrace) -> {
          AgentEntry agent = m.agents.get(agentId);
          if (agent == null) {
            return;
          }
          boolean batches = agent.record.info().capabilities().contains(Capabilities.KILL_TASKS);
          byGrace.forEach(
              (grace, same) -> {
                if (same.size() == 1 || !batches) {
                  for (TaskRecord t : same) {
                    m.toAgent(
                        c,
                        agent,
                        new AgentMessage.KillTask(t.frameworkId(), t.taskId(), grace, reason));
                  }
                } else {
                  m.toAgent(
                      c,
                      agent,
                      new AgentMessage.KillTasks(
                          same.get(0).frameworkId(),
                          same.stream().map(TaskRecord::taskId).toList(),
                          grace,
                          reason));
                }
              });
        });
  }

  /** The latest state of a task as a reconciliation answer (no uuid: nothing to acknowledge). */
  TaskStatus reconciliation(Change c, TaskRecord task) {
    TaskStatus s = task.latest();
    return new TaskStatus(
        s.taskId(),
        s.frameworkId(),
        s.agentId(),
        s.state(),
        Reason.RECONCILIATION,
        s.message(),
        TaskStatus.Source.ALLOCATOR,
        null,
        c.now(),
        s.healthy(),
        s.exitCode());
  }

  /** The answer for a task the allocator does not know. */
  TaskStatus unknown(Change c, FrameworkId frameworkId, TaskId taskId) {
    return new TaskStatus(
        taskId,
        frameworkId,
        null,
        TaskState.LOST,
        Reason.TASK_UNKNOWN,
        "the allocator has no task " + taskId,
        TaskStatus.Source.ALLOCATOR,
        null,
        c.now(),
        null,
        null);
  }

  /** Active tasks of an agent, in launch order. */
  List<TaskRecord> activeOn(AgentEntry agent) {
    List<TaskRecord> out = new ArrayList<>();
    for (TaskKey k : agent.tasks) {
      TaskRecord t = m.task(k);
      if (t != null && t.latest().state().isActive()) {
        out.add(t);
      }
    }
    return out;
  }

  /** Every task of a framework, in launch order. */
  List<TaskRecord> of(FrameworkEntry fw) {
    List<TaskRecord> out = new ArrayList<>();
    for (TaskId id : fw.tasks) {
      TaskRecord t = m.task(new TaskKey(fw.record.id(), id));
      if (t != null) {
        out.add(t);
      }
    }
    return out;
  }

  /** Drops every trace of a task the framework no longer needs to hear about. */
  void remove(Change c, TaskRecord task) {
    if (m.task(key(task)) == null) {
      return;
    }
    c.journal(new StateEvent.TaskRemoved(task.frameworkId(), task.taskId()));
  }

  boolean draining(AgentEntry agent) {
    return agent.record.state() == AgentState.DRAINING;
  }

  static TaskKey key(TaskRecord task) {
    return new TaskKey(task.frameworkId(), task.taskId());
  }
}
