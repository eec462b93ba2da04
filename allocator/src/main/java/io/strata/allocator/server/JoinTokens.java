package io.strata.allocator.server;

import io.strata.allocator.state.DataDirectory;
import io.strata.api.AgentId;
import io.strata.api.operator.JoinToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Who may join and who is an agent. New agents present a join token: the configured one (until its
 * {@code joinTokenExpiresAt}) or one issued by {@code POST /v1/join-tokens} (until its own expiry).
 * A registered agent gets its own credential, bound to its id, and presents that from then on; so a
 * join token can be short-lived without cutting off the agents that joined with it.
 *
 * <p>Issued join tokens and agent credentials are not stored: they are MACs under one key, so they
 * survive restarts and any allocator with the same key accepts them. The key is derived from the
 * cluster CA's private key when the allocator has it (every allocator of a cluster does), otherwise
 * kept in {@code <dataDir>/token-key} (0600). Issued join tokens cannot be revoked before they
 * expire; agent credentials last as long as the key.
 */
final class JoinTokens {
  static final String KEY_FILE = "token-key";
  private static final String AGENT_PREFIX = "sa1.";
  private static final String JOIN_PREFIX = "sj1.";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private final byte[] key;
  private final String configured;
  private final Instant configuredExpiresAt;
  private final Clock clock;

  JoinTokens(byte[] key, String configured, Instant configuredExpiresAt, Clock clock) {
    this.key = key.clone();
    this.configured = configured;
    this.configuredExpiresAt = configuredExpiresAt;
    this.clock = clock;
  }

  /** The tokens of an allocator: keyed by the CA key if there is one, else by the data dir's. */
  static JoinTokens of(AllocatorConfig config, Credentials credentials, ServerTls tls, Clock clock)
      throws IOException {
    byte[] key =
        tls != null && tls.caKey() != null
            ? derive(tls.caKey())
            : keyFile(config.dataPath().resolve(KEY_FILE));
    return new JoinTokens(key, credentials.joinToken(), config.joinTokenExpiresAt(), clock);
  }

  /** What a bearer token is to the agent API. */
  enum Verdict {
    /** A join token accepted now. */
    JOIN,
    /** A join token that was accepted until it expired. */
    EXPIRED,
    /** Neither a join token nor an agent's credential. */
    UNKNOWN
  }

  Verdict join(String token) {
    if (token == null) {
      return Verdict.UNKNOWN;
    }
    Instant now = clock.instant();
    if (same(token, configured)) {
      return configuredExpiresAt == null || now.isBefore(configuredExpiresAt)
          ? Verdict.JOIN
          : Verdict.EXPIRED;
    }
    if (token.startsWith(JOIN_PREFIX)) {
      String[] parts = token.split("\\.", -1);
      if (parts.length == 4 && parts[1].matches("[0-9]{1,12}")) {
        String signed = parts[1] + "." + parts[2];
        if (same(parts[3], mac("join\0" + signed))) {
          return now.isBefore(Instant.ofEpochSecond(Long.parseLong(parts[1])))
              ? Verdict.JOIN
              : Verdict.EXPIRED;
        }
      }
    }
    return Verdict.UNKNOWN;
  }

  /** When the configured join token expires, if it does. */
  Instant configuredExpiresAt() {
    return configuredExpiresAt;
  }

  /** A new join token accepted for {@code ttl} from now. */
  JoinToken issue(Duration ttl) {
    Instant expires =
        clock
            .instant()
            .plus(ttl)
            .plusMillis(999)
            .truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    byte[] nonce = new byte[16];
    RANDOM.nextBytes(nonce);
    String signed = expires.getEpochSecond() + "." + B64.encodeToString(nonce);
    return new JoinToken(JOIN_PREFIX + signed + "." + mac("join\0" + signed), expires);
  }

  /** The credential of agent {@code id}. */
  String agentToken(AgentId id) {
    return AGENT_PREFIX + mac("agent\0" + id.value());
  }

  boolean isAgentToken(String token) {
    return token != null && token.startsWith(AGENT_PREFIX);
  }

  /** True if {@code token} is the credential of agent {@code id}. */
  boolean isAgent(String token, AgentId id) {
    return token != null && same(token, agentToken(id));
  }

  private String mac(String message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return B64.encodeToString(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from the JDK", e);
    }
  }

  private static boolean same(String a, String b) {
    return b != null
        && MessageDigest.isEqual(
            a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  /** A key only holders of the CA key can compute, the same on every allocator. */
  static byte[] derive(PrivateKey caKey) {
    byte[] secret =
        switch (caKey) {
          case ECPrivateKey ec -> ec.getS().toByteArray();
          case RSAPrivateKey rsa -> rsa.getPrivateExponent().toByteArray();
          default -> caKey.getEncoded();
        };
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return mac.doFinal("strata token key v1".getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from the JDK", e);
    }
  }

  private static byte[] keyFile(Path file) throws IOException {
    if (Files.exists(file)) {
      byte[] key = Base64.getDecoder().decode(Files.readString(file).strip());
      if (key.length < 32) {
        throw new IOException(file + " holds a key shorter than 32 bytes");
      }
      return key;
    }
    DataDirectory.create(file.getParent());
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    Path tmp = file.resolveSibling(KEY_FILE + ".tmp");
    try (var ch =
        java.nio.channels.FileChannel.open(
            tmp,
            java.nio.file.StandardOpenOption.CREATE,
            java.nio.file.StandardOpenOption.WRITE,
            java.nio.file.StandardOpenOption.TRUNCATE_EXISTING)) {
      DataDirectory.restrict(tmp);
      ch.write(java.nio.ByteBuffer.wrap(Base64.getEncoder().encodeToString(key).getBytes()));
      // Agents' credentials are derived from this key: it must outlive a crash.
      ch.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    return key;
  }
}
