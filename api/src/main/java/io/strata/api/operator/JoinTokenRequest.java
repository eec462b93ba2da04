package io.strata.api.operator;

import io.strata.api.json.Checks;

/**
 * {@code POST /v1/join-tokens}: asks the allocator for a new join token.
 *
 * @param ttlSeconds how long the token is accepted (default 24 h, at most 30 days)
 */
public record JoinTokenRequest(Long ttlSeconds) {
  public static final long DEFAULT_TTL_SECONDS = 24 * 3600;
  public static final long MAX_TTL_SECONDS = 30L * 24 * 3600;

  public JoinTokenRequest {
    ttlSeconds = ttlSeconds == null ? DEFAULT_TTL_SECONDS : ttlSeconds;
    new Checks().range("ttlSeconds", ttlSeconds, 60, MAX_TTL_SECONDS).done();
  }
}
