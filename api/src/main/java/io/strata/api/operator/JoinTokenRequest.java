package io.strata.api.operator;

import io.strata.api.json.Checks;

/**
 * {@code POST /v1/join-tokens}: asks the allocator for a new join token.
 *
 * @param ttlSeconds how long the token is accepted (default 24 h, 60 s to 30 days)
 * @param description what it is for (e.g. "scale pool gpu"), at most 200 characters; optional
 */
public record JoinTokenRequest(Long ttlSeconds, String description) {
  public static final long DEFAULT_TTL_SECONDS = 24 * 3600;
  public static final long MAX_TTL_SECONDS = 30L * 24 * 3600;

  public JoinTokenRequest {
    ttlSeconds = ttlSeconds == null ? DEFAULT_TTL_SECONDS : ttlSeconds;
    Checks c = new Checks().range("ttlSeconds", ttlSeconds, 60, MAX_TTL_SECONDS);
    if (description != null) {
      c.maxLength("description", description, 200)
          .require(
              description.chars().noneMatch(Character::isISOControl),
              "description",
              "must not contain control characters");
    }
    c.done();
  }

  /** A request for a token accepted for {@code ttlSeconds} (null: the default). */
  public JoinTokenRequest(Long ttlSeconds) {
    this(ttlSeconds, null);
  }
}
