package io.strata.api.agent;

import io.strata.api.json.Codec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;

/**
 * Short-lived tokens for the agents' own HTTP endpoints, signed by the allocator (Ed25519) and
 * verified by each agent offline with the public key it got at registration ({@link
 * AgentRegistered#accessKey()}): {@code sat1.<claims>.<signature>}, both parts base64url, the
 * signature over {@code sat1.<claims>}.
 *
 * <p>Scopes: {@code operator} and {@code viewer} read everything an agent serves (the endpoint is
 * read-only); nothing else is accepted.
 */
public final class AccessToken {
  public static final String PREFIX = "sat1.";
  public static final Set<String> SCOPES = Set.of("operator", "viewer");

  /** Clock skew tolerated between allocator and agent for {@code issuedAt}. */
  public static final long SKEW_SECONDS = 60;

  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder UNB64 = Base64.getUrlDecoder();

  private AccessToken() {}

  /**
   * What a token says.
   *
   * @param principal who it was issued to
   * @param scope {@code operator} or {@code viewer}
   * @param issuedAt epoch seconds
   * @param expiresAt epoch seconds
   */
  public record Claims(String principal, String scope, long issuedAt, long expiresAt) {}

  /** A verification's outcome: the claims, or why the token is refused. */
  public sealed interface Verdict {}

  public record Valid(Claims claims) implements Verdict {}

  public record Invalid(String reason) implements Verdict {}

  public static String sign(Claims claims, PrivateKey key) {
    String body = PREFIX + B64.encodeToString(Codec.JSON.encodeBytes(claims));
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initSign(key);
      s.update(body.getBytes(StandardCharsets.US_ASCII));
      return body + "." + B64.encodeToString(s.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign an access token: " + e.getMessage(), e);
    }
  }

  /** Checks the signature, then the times against {@code now}, then the scope. */
  public static Verdict verify(String token, PublicKey key, Instant now) {
    if (token == null || !token.startsWith(PREFIX)) {
      return new Invalid("not an agent access token");
    }
    int dot = token.lastIndexOf('.');
    if (dot <= PREFIX.length()) {
      return new Invalid("malformed token");
    }
    String body = token.substring(0, dot);
    Claims claims;
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initVerify(key);
      s.update(body.getBytes(StandardCharsets.US_ASCII));
      if (!s.verify(UNB64.decode(token.substring(dot + 1)))) {
        return new Invalid("bad signature");
      }
      claims = Codec.JSON.decode(UNB64.decode(body.substring(PREFIX.length())), Claims.class);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return new Invalid("malformed token");
    } catch (RuntimeException e) {
      return new Invalid("malformed claims");
    }
    long t = now.getEpochSecond();
    if (t >= claims.expiresAt()) {
      return new Invalid("the token expired at " + Instant.ofEpochSecond(claims.expiresAt()));
    }
    if (claims.issuedAt() > t + SKEW_SECONDS) {
      return new Invalid("the token is not valid yet");
    }
    if (claims.scope() == null || !SCOPES.contains(claims.scope())) {
      return new Invalid("scope '" + claims.scope() + "' does not grant this endpoint");
    }
    return new Valid(claims);
  }

  /** The text form of a public key (X.509 SubjectPublicKeyInfo, base64). */
  public static String encodeKey(PublicKey key) {
    return Base64.getEncoder().encodeToString(key.getEncoded());
  }

  /**
   * Reads {@link #encodeKey}'s form; throws IllegalArgumentException if it is not an Ed25519 key.
   */
  public static PublicKey decodeKey(String text) {
    try {
      return KeyFactory.getInstance("Ed25519")
          .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(text)));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalArgumentException("not an Ed25519 public key: " + e.getMessage(), e);
    }
  }
}
