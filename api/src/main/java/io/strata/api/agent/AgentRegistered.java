package io.strata.api.agent;

import io.strata.api.AgentId;

/**
 * The answer to a registration: the agent's id (new, or the one it sent) and how often it must
 * heartbeat. An agent that misses heartbeats becomes UNREACHABLE, and GONE later.
 */
public record AgentRegistered(AgentId agentId, long heartbeatIntervalMillis) {}
