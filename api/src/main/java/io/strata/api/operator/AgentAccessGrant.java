package io.strata.api.operator;

import java.time.Instant;

/**
 * An access token for the agents' own endpoints ({@code POST /v1/agent-access}): present it as
 * bearer token to any agent of the cluster until it expires.
 *
 * @param token the signed token ({@code sat1.…})
 * @param scope what it grants: {@code operator} (or {@code viewer})
 * @param expiresAt when agents stop accepting it
 */
public record AgentAccessGrant(String token, String scope, Instant expiresAt) {
  @Override
  public String toString() {
    return "AgentAccessGrant[token=<redacted>, scope=" + scope + ", expiresAt=" + expiresAt + "]";
  }
}
