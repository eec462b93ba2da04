package io.strata.api.agent;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.strata.api.FrameworkId;
import io.strata.api.FrameworkInfo;
import io.strata.api.Reason;
import io.strata.api.TaskId;
import io.strata.api.TaskInfo;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What the allocator tells an agent on its stream ({@code GET /v1/agents/{id}/stream}, one JSON
 * object per line). Messages may be repeated after a reconnection; agents handle them idempotently
 * (a RunTask for a task it already runs is ignored).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = AgentMessage.RunTask.class, name = "RUN_TASK"),
  @JsonSubTypes.Type(value = AgentMessage.KillTask.class, name = "KILL_TASK"),
  @JsonSubTypes.Type(value = AgentMessage.KillTasks.class, name = "KILL_TASKS"),
  @JsonSubTypes.Type(value = AgentMessage.Acknowledge.class, name = "ACKNOWLEDGE"),
  @JsonSubTypes.Type(value = AgentMessage.Drain.class, name = "DRAIN"),
  @JsonSubTypes.Type(value = AgentMessage.Reactivate.class, name = "REACTIVATE"),
  @JsonSubTypes.Type(value = AgentMessage.Shutdown.class, name = "SHUTDOWN"),
  @JsonSubTypes.Type(value = AgentMessage.Heartbeat.class, name = "HEARTBEAT")
})
public sealed interface AgentMessage {

  /** Launch a task for a framework. */
  record RunTask(FrameworkId frameworkId, FrameworkInfo framework, TaskInfo task)
      implements AgentMessage {}

  /** Kill a task: polite stop, then hard kill of the whole tree after the grace period. */
  record KillTask(FrameworkId frameworkId, TaskId taskId, Long gracePeriodMillis, Reason reason)
      implements AgentMessage {}

  /**
   * Kill several tasks of one framework, each as {@link KillTask} would: the allocator sends one of
   * these per agent for a framework's KILL_TASKS call, rather than one message per task.
   */
  record KillTasks(
      FrameworkId frameworkId, List<TaskId> taskIds, Long gracePeriodMillis, Reason reason)
      implements AgentMessage {
    public KillTasks {
      taskIds = List.copyOf(taskIds);
    }

    /** The same kills, one message per task. */
    public List<KillTask> each() {
      return taskIds.stream()
          .map(t -> new KillTask(frameworkId, t, gracePeriodMillis, reason))
          .toList();
    }
  }

  /** The framework acknowledged this update; the agent may garbage-collect a finished task. */
  record Acknowledge(FrameworkId frameworkId, TaskId taskId, UUID uuid) implements AgentMessage {}

  /**
   * The agent is being drained: no new tasks will come; tasks still running at {@code deadline} (if
   * set) are killed by the allocator with reason AGENT_DRAINING.
   */
  record Drain(Instant deadline) implements AgentMessage {}

  /** An operator ended the drain ({@code strata undrain}): tasks will come again as usual. */
  record Reactivate() implements AgentMessage {}

  /** Stop: kill every task and exit. The agent's id will not be accepted again. */
  record Shutdown(String reason) implements AgentMessage {}

  /** Keep-alive on an idle stream. */
  record Heartbeat() implements AgentMessage {}
}
