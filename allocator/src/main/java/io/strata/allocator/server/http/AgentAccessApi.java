package io.strata.allocator.server.http;

import io.javalin.http.Context;
import io.strata.allocator.server.config.AllocatorConfig.Principal;
import io.strata.allocator.server.master.ApiError;
import io.strata.api.agent.AccessToken;
import io.strata.api.client.Paths;
import io.strata.api.operator.AgentAccessGrant;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.spec.NamedParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Access to the agents' own endpoints: {@code POST /v1/agent-access} gives an authenticated
 * operator a short-lived token ({@link AccessToken}, Ed25519) that every agent verifies offline
 * with the public key it got in its registration answer.
 *
 * <p>The signing key is derived from the allocator's token key ({@link JoinTokens#subkey}), itself
 * derived from the cluster CA's key when there is one: every allocator of a cluster signs with the
 * same key, so tokens outlive a fail-over; without a CA it is the data directory's key (0600).
 *
 * <p>Scopes: operator principals get {@code operator}, viewer principals {@code viewer} (the
 * agents' endpoints are read-only, so both read the same). Framework principals are refused: agents
 * serve every task's files, so a framework's token would read other frameworks' logs.
 */
public final class AgentAccessApi {
  public static final Duration LIFETIME = Duration.ofMinutes(15);

  private final PrivateKey key;
  private final String publicKey;
  private final Clock clock;

  public AgentAccessApi(byte[] seed, Clock clock) {
    KeyPair pair = ed25519(seed);
    this.key = pair.getPrivate();
    this.publicKey = AccessToken.encodeKey(pair.getPublic());
    this.clock = clock;
  }

  /** The public key agents check tokens with (given to them at registration). */
  public String publicKey() {
    return publicKey;
  }

  public List<Route> routes() {
    return List.of(
        Route.post(
            Paths.AGENT_ACCESS,
            Route.Guard.of(
                "a principal; the grant is for operators and viewers (checked by the call)",
                ctx -> List.of()),
            this::issue));
  }

  private void issue(Context ctx) {
    Principal p = HttpApi.principal(ctx);
    if (p.operator()) {
      HttpApi.json(ctx, 200, grant(p.name(), "operator"));
    } else if (p.viewer()) {
      HttpApi.json(ctx, 200, grant(p.name(), "viewer"));
    } else {
      throw ApiError.forbidden(
          "principal "
              + p.name()
              + " is neither an operator nor a viewer: an agent's endpoint serves every task's"
              + " files, so framework principals get no token for it");
    }
  }

  AgentAccessGrant grant(String principal, String scope) {
    Instant now = clock.instant();
    Instant expires = now.plus(LIFETIME);
    String token =
        AccessToken.sign(
            new AccessToken.Claims(
                principal, scope, now.getEpochSecond(), expires.getEpochSecond()),
            key);
    return new AgentAccessGrant(token, scope, Instant.ofEpochSecond(expires.getEpochSecond()));
  }

  /** An Ed25519 key pair whose private key is {@code seed} (32 bytes). */
  private static KeyPair ed25519(byte[] seed) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519");
      // The JDK takes an Ed25519 private key as 32 random bytes: hand it the seed as those bytes.
      g.initialize(
          NamedParameterSpec.ED25519,
          new SecureRandom() {
            @Override
            public void nextBytes(byte[] bytes) {
              System.arraycopy(seed, 0, bytes, 0, Math.min(seed.length, bytes.length));
            }
          });
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 is missing from the JDK", e);
    }
  }
}
