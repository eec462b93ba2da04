package io.strata.api.agent;

import io.strata.api.AgentId;

/**
 * The answer to a registration: the agent's id (new, or the one it sent) and how often it must
 * heartbeat. An agent that misses heartbeats becomes UNREACHABLE, and GONE later.
 *
 * @param agentToken this agent's own credential, when the allocator issues one: the agent presents
 *     it (instead of the join token) on every later call for this id, re-registration included, so
 *     it keeps working after the short-lived join token expired. Keep it as secret as the join
 *     token. Null from allocators that issue none.
 */
public record AgentRegistered(AgentId agentId, long heartbeatIntervalMillis, String agentToken) {
  /** An answer without an agent credential. */
  public AgentRegistered(AgentId agentId, long heartbeatIntervalMillis) {
    this(agentId, heartbeatIntervalMillis, null);
  }

  @Override
  public String toString() {
    return "AgentRegistered[agentId="
        + agentId
        + ", heartbeatIntervalMillis="
        + heartbeatIntervalMillis
        + (agentToken == null ? "" : ", agentToken=<redacted>")
        + "]";
  }
}
