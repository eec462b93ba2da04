package io.strata.api.operator;

import io.strata.api.AgentId;
import io.strata.api.AgentInfo;
import io.strata.api.ResourcePool;
import java.time.Instant;

/**
 * An agent in the operator API.
 *
 * @param total the agent's resources, with static and dynamic reservations
 * @param allocated held by tasks and outstanding offers
 * @param available neither used nor offered
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
    Instant drainDeadline) {}
