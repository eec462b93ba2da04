package io.strata.api.operator;

import java.time.Instant;

/**
 * A join token the allocator issued: new agents present it as bearer token to register until {@code
 * expiresAt}. Agents already registered do not need it (they hold their own credential).
 *
 * @param token the bearer token
 * @param expiresAt when the allocator stops accepting it
 */
public record JoinToken(String token, Instant expiresAt) {
  @Override
  public String toString() {
    return "JoinToken[token=<redacted>, expiresAt=" + expiresAt + "]";
  }
}
