package io.strata.api.operator;

import io.strata.api.AgentId;
import io.strata.api.AgentInfo;
import io.strata.api.ResourcePool;
import io.strata.api.Resources;
import java.time.Instant;

/**
 * An agent in the operator API.
 *
 * @param total the agent's resources, with static and dynamic reservations
 * @param allocated held by tasks and outstanding offers
 * @param available neither used nor offered
 * @param overcommitted how much more its tasks and offers hold than it has: non-empty when it
 *     re-registered with fewer resources than its tasks use (as Mesos, the new total is accepted;
 *     none of an over-committed quantity is offered until its tasks fit again); empty otherwise
 */
public record AgentView(
    AgentId id,
    AgentInfo info,
    AgentState state,
    ResourcePool total,
    ResourcePool allocated,
    ResourcePool available,
    int activeTasks,
    Instant registeredAt,
    Instant lastSeenAt,
    Instant drainDeadline,
    Resources overcommitted) {

  public AgentView {
    overcommitted = overcommitted == null ? Resources.EMPTY : overcommitted;
  }

  /** A view of an agent that is not over-committed. */
  public AgentView(
      AgentId id,
      AgentInfo info,
      AgentState state,
      ResourcePool total,
      ResourcePool allocated,
      ResourcePool available,
      int activeTasks,
      Instant registeredAt,
      Instant lastSeenAt,
      Instant drainDeadline) {
    this(
        id,
        info,
        state,
        total,
        allocated,
        available,
        activeTasks,
        registeredAt,
        lastSeenAt,
        drainDeadline,
        Resources.EMPTY);
  }
}
