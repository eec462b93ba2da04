package io.strata.agent.http;

import io.strata.api.agent.AccessToken;
import io.strata.api.json.Problem;
import java.security.PublicKey;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@link AgentAccess} by access tokens the allocator signed ({@link AccessToken}), verified here
 * offline: the signature with the allocator's public key (given at registration), the expiry
 * against {@code clock}, and the scope. No round trip to the allocator, so the endpoint keeps
 * working while the allocator is away, for tokens issued before.
 */
public final class SignedAccess implements AgentAccess {
  private final Supplier<Optional<PublicKey>> key;
  private final Clock clock;

  /**
   * @param key the allocator's public key; empty until the agent has registered
   */
  public SignedAccess(Supplier<Optional<PublicKey>> key, Clock clock) {
    this.key = key;
    this.clock = clock;
  }

  @Override
  public Optional<Problem> check(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return unauthorized(
          "present an agent access token as bearer token (the allocator issues them: POST"
              + " /v1/agent-access)");
    }
    Optional<PublicKey> k = key.get();
    if (k.isEmpty()) {
      return unauthorized("the agent has no key to check tokens with until it has registered");
    }
    return switch (AccessToken.verify(
        authorization.substring(7).trim(), k.get(), clock.instant())) {
      case AccessToken.Valid valid -> Optional.empty();
      case AccessToken.Invalid invalid -> unauthorized("access token refused: " + invalid.reason());
    };
  }

  private static Optional<Problem> unauthorized(String detail) {
    return Optional.of(Problem.of(401, "Unauthorized", detail));
  }
}
