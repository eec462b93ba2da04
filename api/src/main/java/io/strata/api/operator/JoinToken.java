package io.strata.api.operator;

import java.time.Instant;

/**
 * A join token the allocator issued ({@code POST /v1/join-tokens}): new agents present it as bearer
 * token to register until {@code expiresAt}, or until an operator revokes it ({@code DELETE
 * /v1/join-tokens/{id}}). The token is shown once; the allocator keeps only its hash. Agents
 * already registered do not need it (they hold their own credential).
 *
 * @param id the token's public id, for listing and revoking
 * @param token the bearer token
 * @param expiresAt when the allocator stops accepting it
 * @param description what the operator said it is for; may be null
 */
public record JoinToken(String id, String token, Instant expiresAt, String description) {
  @Override
  public String toString() {
    return "JoinToken[id=" + id + ", token=<redacted>, expiresAt=" + expiresAt + "]";
  }
}
