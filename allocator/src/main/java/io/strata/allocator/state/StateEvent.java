package io.strata.allocator.state;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;
import io.strata.api.AgentId;
import io.strata.api.FrameworkId;
import io.strata.api.Resources;
import io.strata.api.TaskId;
import io.strata.api.TaskStatus;
import io.strata.api.operator.AgentState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One durable change of the allocator's state. The journal stores batches of these; {@link
 * DurableState#apply} folds them into the state. Applying is total: an event about something the
 * state does not hold is ignored, so any sequence replays to the same result.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = StateEvent.AgentUpserted.class, name = "AGENT_UPSERTED"),
  @JsonSubTypes.Type(value = StateEvent.AgentStateChanged.class, name = "AGENT_STATE_CHANGED"),
  @JsonSubTypes.Type(value = StateEvent.ReservationsChanged.class, name = "RESERVATIONS_CHANGED"),
  @JsonSubTypes.Type(value = StateEvent.AgentRemoved.class, name = "AGENT_REMOVED"),
  @JsonSubTypes.Type(value = StateEvent.FrameworkUpserted.class, name = "FRAMEWORK_UPSERTED"),
  @JsonSubTypes.Type(value = StateEvent.FrameworkRemoved.class, name = "FRAMEWORK_REMOVED"),
  @JsonSubTypes.Type(value = StateEvent.TaskAdded.class, name = "TASK_ADDED"),
  @JsonSubTypes.Type(value = StateEvent.TaskStatusChanged.class, name = "TASK_STATUS_CHANGED"),
  @JsonSubTypes.Type(value = StateEvent.TaskAcknowledged.class, name = "TASK_ACKNOWLEDGED"),
  @JsonSubTypes.Type(value = StateEvent.TaskRemoved.class, name = "TASK_REMOVED"),
  @JsonSubTypes.Type(value = StateEvent.IdsForgotten.class, name = "IDS_FORGOTTEN"),
  @JsonSubTypes.Type(value = StateEvent.RoleConfigured.class, name = "ROLE_CONFIGURED"),
  @JsonSubTypes.Type(value = StateEvent.StorePut.class, name = "STORE_PUT"),
  @JsonSubTypes.Type(value = StateEvent.StoreDeleted.class, name = "STORE_DELETED"),
  @JsonSubTypes.Type(value = StateEvent.JoinTokenPut.class, name = "JOIN_TOKEN_PUT"),
  @JsonSubTypes.Type(value = StateEvent.JoinTokenRemoved.class, name = "JOIN_TOKEN_REMOVED")
})
public sealed interface StateEvent {

  /** An agent registered, or re-registered with new info. */
  record AgentUpserted(AgentRecord agent) implements StateEvent {}

  record AgentStateChanged(
      AgentId agentId, AgentState state, Instant drainDeadline, boolean markGone)
      implements StateEvent {}

  record ReservationsChanged(AgentId agentId, Map<String, Resources> dynamicReservations)
      implements StateEvent {}

  /**
   * The agent is GONE: forgotten, and its id refused from {@code at} (null in older journals) until
   * {@link IdsForgotten}; {@code revoked} if an operator revoked its credential (absent in older
   * journals: false).
   */
  record AgentRemoved(AgentId agentId, Instant at, boolean revoked) implements StateEvent {
    public AgentRemoved(AgentId agentId, Instant at) {
      this(agentId, at, false);
    }
  }

  /** A framework subscribed, re-subscribed or disconnected. */
  record FrameworkUpserted(FrameworkRecord framework) implements StateEvent {}

  /**
   * Torn down (or failed over too late): forgotten with its store; its id refused from {@code at}
   * (null in older journals) until {@link IdsForgotten}.
   */
  record FrameworkRemoved(FrameworkId frameworkId, Instant at) implements StateEvent {}

  /**
   * Ids of GONE agents and removed frameworks no longer refused: they were removed long enough ago,
   * or too many were kept (as Mesos prunes its registry of gone agents).
   */
  record IdsForgotten(List<AgentId> agentIds, List<FrameworkId> frameworkIds)
      implements StateEvent {
    public IdsForgotten {
      agentIds = agentIds == null ? List.of() : List.copyOf(agentIds);
      frameworkIds = frameworkIds == null ? List.of() : List.copyOf(frameworkIds);
    }
  }

  record TaskAdded(TaskRecord task) implements StateEvent {}

  record TaskStatusChanged(TaskStatus status) implements StateEvent {}

  record TaskAcknowledged(FrameworkId frameworkId, TaskId taskId, UUID uuid)
      implements StateEvent {}

  record TaskRemoved(FrameworkId frameworkId, TaskId taskId) implements StateEvent {}

  record RoleConfigured(RoleRecord role) implements StateEvent {}

  record StorePut(FrameworkId frameworkId, String key, JsonNode value) implements StateEvent {}

  record StoreDeleted(FrameworkId frameworkId, String key) implements StateEvent {}

  /** A join token issued or revoked. */
  record JoinTokenPut(JoinTokenRecord token) implements StateEvent {}

  /** A join token expired long ago, forgotten. */
  record JoinTokenRemoved(String id) implements StateEvent {}
}
