package io.strata.api.agent;

import io.strata.api.AgentId;

/**
 * The answer to a registration: the agent's id (assigned by the allocator, or the one it sent to
 * re-register) and how often it must heartbeat. An agent that misses heartbeats becomes
 * UNREACHABLE, and GONE later.
 *
 * @param agentToken this agent's own credential: the agent keeps it with its id and presents it
 *     (never the join token) on every later call for this id, re-registration included; no other
 *     credential acts for the agent. Keep it as secret as the join token; an operator revokes it
 *     with {@code POST /v1/agents/{agentId}/revoke}. Null from allocators that issue none.
 * @param accessKey the allocator's public key ({@link AccessToken#encodeKey}) that signs the access
 *     tokens the agent's own endpoint accepts; null from allocators that sign none (the agent then
 *     answers only {@code /health})
 * @param certificate the certificate of the agent's endpoint for the registration's {@code
 *     publicKey}, issued by the cluster CA, then the CA's certificate (PEM); null when the
 *     registration sent no key or the allocator does not hold the CA's key
 */
public record AgentRegistered(
    AgentId agentId,
    long heartbeatIntervalMillis,
    String agentToken,
    String accessKey,
    String certificate) {
  /** An answer without a certificate. */
  public AgentRegistered(
      AgentId agentId, long heartbeatIntervalMillis, String agentToken, String accessKey) {
    this(agentId, heartbeatIntervalMillis, agentToken, accessKey, null);
  }

  /** An answer without an agent credential. */
  public AgentRegistered(AgentId agentId, long heartbeatIntervalMillis) {
    this(agentId, heartbeatIntervalMillis, null, null, null);
  }

  /** An answer without an access key. */
  public AgentRegistered(AgentId agentId, long heartbeatIntervalMillis, String agentToken) {
    this(agentId, heartbeatIntervalMillis, agentToken, null, null);
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
