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
 * @param accessKey the allocator's public key ({@link AccessToken#encodeKey}) that signs the access
 *     tokens the agent's own endpoint accepts; null from allocators that sign none (the agent then
 *     answers only {@code /health})
 */
public record AgentRegistered(
    AgentId agentId, long heartbeatIntervalMillis, String agentToken, String accessKey) {
  /** An answer without an agent credential. */
  public AgentRegistered(AgentId agentId, long heartbeatIntervalMillis) {
    this(agentId, heartbeatIntervalMillis, null, null);
  }

  /** An answer without an access key. */
  public AgentRegistered(AgentId agentId, long heartbeatIntervalMillis, String agentToken) {
    this(agentId, heartbeatIntervalMillis, agentToken, null);
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
