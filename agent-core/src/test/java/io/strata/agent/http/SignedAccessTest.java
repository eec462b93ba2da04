package io.strata.agent.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.api.agent.AccessToken;
import io.strata.api.json.Problem;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SignedAccessTest {
  static final Instant NOW = Instant.parse("2026-12-07T22:00:00Z");
  final KeyPair allocator = ed25519();
  final KeyPair forger = ed25519();

  SignedAccess at(Instant now) {
    return new SignedAccess(
        () -> Optional.of(allocator.getPublic()), Clock.fixed(now, ZoneOffset.UTC));
  }

  static String token(KeyPair key, String scope, long expiresIn) {
    long t = NOW.getEpochSecond();
    return AccessToken.sign(
        new AccessToken.Claims("ops", scope, t, t + expiresIn), key.getPrivate());
  }

  @Test
  void acceptsOperatorAndViewerTokensUntilTheyExpire() {
    assertThat(at(NOW).check("Bearer " + token(allocator, "operator", 300))).isEmpty();
    assertThat(at(NOW).check("bearer " + token(allocator, "viewer", 300))).isEmpty();
    assertThat(at(NOW.plusSeconds(299)).check("Bearer " + token(allocator, "viewer", 300)))
        .isEmpty();
    assertThat(detail(at(NOW.plusSeconds(300)).check("Bearer " + token(allocator, "viewer", 300))))
        .contains("expired");
  }

  @Test
  void refusesMissingWrongForgedAndTamperedTokens() {
    SignedAccess access = at(NOW);
    assertThat(detail(access.check(null))).contains("bearer token");
    assertThat(detail(access.check("Basic b3BzOnB3"))).contains("bearer token");
    assertThat(detail(access.check("Bearer sj2.join.token"))).contains("not an agent access token");
    assertThat(detail(access.check("Bearer " + token(forger, "operator", 300))))
        .contains("bad signature");
    String good = token(allocator, "viewer", 300);
    String[] parts = good.split("\\.");
    String claims =
        new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
            .replace("viewer", "operator");
    String tampered =
        parts[0]
            + "."
            + Base64.getUrlEncoder().withoutPadding().encodeToString(claims.getBytes())
            + "."
            + parts[2];
    assertThat(detail(access.check("Bearer " + tampered))).contains("bad signature");
    assertThat(detail(access.check("Bearer " + token(allocator, "framework", 300))))
        .contains("scope");
    assertThat(detail(access.check("Bearer " + good + "x"))).isNotEmpty();
  }

  @Test
  void refusesEverythingUntilTheAgentHasTheAllocatorsKey() {
    SignedAccess unregistered = new SignedAccess(Optional::empty, Clock.fixed(NOW, ZoneOffset.UTC));
    assertThat(detail(unregistered.check("Bearer " + token(allocator, "operator", 300))))
        .contains("registered");
  }

  static String detail(Optional<Problem> p) {
    assertThat(p).isPresent();
    assertThat(p.get().status()).isEqualTo(401);
    return p.get().detail();
  }

  private static KeyPair ed25519() {
    try {
      return java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
