package io.strata.api.operator;

import java.time.Instant;

/**
 * A join token as {@code GET /v1/join-tokens} lists it: never the token itself. The configured
 * token (the allocator's {@code joinToken} or {@code joinTokenFile}) is listed with the id {@code
 * bootstrap}.
 *
 * @param createdAt when it was issued; null for the configured token
 * @param expiresAt when it stops being accepted; null for never
 */
public record JoinTokenView(
    String id, String description, Instant createdAt, Instant expiresAt, State state) {

  /** Whether new agents may join with it now. */
  public enum State {
    ACTIVE,
    EXPIRED,
    REVOKED
  }
}
