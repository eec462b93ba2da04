package io.strata.allocator.server.auth;

import io.strata.allocator.server.config.AllocatorConfig;
import io.strata.allocator.server.master.ApiError;
import io.strata.allocator.server.master.Change;
import io.strata.allocator.server.master.Master;
import io.strata.allocator.state.DataDirectory;
import io.strata.allocator.state.JoinTokenRecord;
import io.strata.allocator.state.StateEvent;
import io.strata.api.AgentId;
import io.strata.api.client.Paths;
import io.strata.api.operator.JoinToken;
import io.strata.api.operator.JoinTokenRequest;
import io.strata.api.operator.JoinTokenView;
import io.strata.host.DurableFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Who may join and who is an agent. New agents present a join token: the configured one (id {@code
 * bootstrap}, until its {@code joinTokenExpiresAt}) or one an operator issued ({@code POST
 * /v1/join-tokens}, until its expiry). Operators list them and revoke any, the configured one
 * included. A join token admits a new agent only (its id assigned by the allocator), which gets its
 * own credential, bound to its id ({@link AgentCredentials}), and presents that from then on; so a
 * join token can be short-lived, or revoked, without cutting off the agents that joined with it.
 *
 * <p>Issued tokens ({@code sj2.ID.SECRET}) are state: journaled like everything else (only the
 * secret's SHA-256), so they survive restarts and fail over with the state. Agents registered by
 * allocators from before credentials were state hold MACs of their id ({@code sa1.}) under one key,
 * derived from the cluster CA's private key when the allocator has it (every allocator of a cluster
 * does), otherwise kept in {@code <dataDir>/token-key} (0600); those last as long as the key and
 * their agent's record. Expired tokens are forgotten a week after they expire.
 */
public final class JoinTokens {
  public static final String KEY_FILE = "token-key";
  static final String BOOTSTRAP_ID = "bootstrap";
  static final int MAX_TOKENS = 1000;
  static final Duration FORGET_AFTER = Duration.ofDays(7);
  private static final String AGENT_PREFIX = "sa1.";
  private static final String JOIN_PREFIX = "sj2.";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private final byte[] key;
  private final String configured;
  private final Instant configuredExpiresAt;
  private final Clock clock;
  private final Master master;
  private final AgentCredentials agents;

  /**
   * Whether the configured token is revoked: read on every agent call that presents it, so kept
   * here rather than looked up under the master's lock. Only {@link #revoke} changes it.
   */
  private volatile boolean configuredRevoked;

  JoinTokens(
      byte[] key, String configured, Instant configuredExpiresAt, Clock clock, Master master) {
    this.key = key.clone();
    this.configured = configured;
    this.configuredExpiresAt = configuredExpiresAt;
    this.clock = clock;
    this.master = master;
    this.agents = new AgentCredentials(master, this);
    this.configuredRevoked = master.read(this::configuredRevokedInState);
  }

  /** The agents' own credentials, checked against the state. */
  public AgentCredentials agents() {
    return agents;
  }

  private boolean configuredRevokedInState() {
    JoinTokenRecord revocation = master.joinTokens().get(BOOTSTRAP_ID);
    return configured != null
        && revocation != null
        && revocation.secretSha256().equals(sha256(configured));
  }

  /** The tokens of an allocator: keyed by the CA key if there is one, else by the data dir's. */
  public static JoinTokens of(
      AllocatorConfig config, Credentials credentials, ServerTls tls, Clock clock, Master master)
      throws IOException {
    return new JoinTokens(
        key(config, tls), credentials.joinToken(), config.joinTokenExpiresAt(), clock, master);
  }

  /**
   * The token key: derived from the CA key, else read from {@code tokenKeyFile}, else the data
   * dir's (generated at first start).
   */
  static byte[] key(AllocatorConfig config, ServerTls tls) throws IOException {
    if (tls != null && tls.caKey() != null) {
      return derive(tls.caKey());
    }
    if (config.tokenKeyFile() != null) {
      return sharedKey(Path.of(config.tokenKeyFile()));
    }
    return keyFile(config.dataPath().resolve(KEY_FILE));
  }

  /**
   * Reads {@code tokenKeyFile}: base64 of at least 32 bytes.
   *
   * @throws io.strata.api.json.ValidationException naming {@code tokenKeyFile} if it cannot serve
   */
  public static byte[] sharedKey(Path file) {
    String text;
    try {
      text = Files.readString(file).strip();
    } catch (IOException e) {
      throw new io.strata.api.json.ValidationException(
          "tokenKeyFile", "cannot read " + file + ": " + e.getMessage());
    }
    byte[] key;
    try {
      key = Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw new io.strata.api.json.ValidationException(
          "tokenKeyFile",
          file + " does not hold base64 (create one: head -c 32 /dev/urandom | base64)");
    }
    if (key.length < 32) {
      throw new io.strata.api.json.ValidationException(
          "tokenKeyFile",
          file + " holds " + key.length + " bytes; at least 32 random bytes are needed");
    }
    return key;
  }

  /** What a bearer token is to the agent API. */
  public enum Verdict {
    /** A join token accepted now. */
    JOIN,
    /** A join token that was accepted until it expired. */
    EXPIRED,
    /** A join token an operator revoked. */
    REVOKED,
    /** Neither a join token nor an agent's credential. */
    UNKNOWN
  }

  public Verdict join(String token) {
    if (token == null) {
      return Verdict.UNKNOWN;
    }
    Instant now = clock.instant();
    if (same(token, configured)) {
      return configuredRevoked ? Verdict.REVOKED : verdict(configuredExpiresAt, now);
    }
    if (token.startsWith(JOIN_PREFIX)) {
      String[] parts = token.split("\\.", -1);
      if (parts.length == 3) {
        JoinTokenRecord r = master.read(() -> master.joinTokens().get(parts[1]));
        if (r != null && !r.id().equals(BOOTSTRAP_ID) && same(sha256(parts[2]), r.secretSha256())) {
          return r.revoked() ? Verdict.REVOKED : verdict(r.expiresAt(), now);
        }
      }
    }
    return Verdict.UNKNOWN;
  }

  private static Verdict verdict(Instant expiresAt, Instant now) {
    return expiresAt == null || now.isBefore(expiresAt) ? Verdict.JOIN : Verdict.EXPIRED;
  }

  /** When the configured join token expires, if it does. */
  public Instant configuredExpiresAt() {
    return configuredExpiresAt;
  }

  /** A new join token, accepted until the request's time to live has passed. */
  public JoinToken issue(JoinTokenRequest request) {
    Instant now = clock.instant();
    Instant expires =
        now.plusSeconds(request.ttlSeconds()).plusMillis(999).truncatedTo(ChronoUnit.SECONDS);
    String id = newId();
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    String secretText = B64.encodeToString(secret);
    JoinTokenRecord record =
        new JoinTokenRecord(id, sha256(secretText), request.description(), now, expires, false);
    master.run(
        c -> {
          forgetOld(c, now);
          if (master.joinTokens().size() >= MAX_TOKENS) {
            throw ApiError.conflict(
                "there are "
                    + MAX_TOKENS
                    + " join tokens already; revoke some (DELETE "
                    + Paths.JOIN_TOKENS
                    + "/{id}) or wait until they expire");
          }
          c.journal(new StateEvent.JoinTokenPut(record));
          return null;
        });
    return new JoinToken(id, JOIN_PREFIX + id + "." + secretText, expires, request.description());
  }

  /** Every join token: the configured one first, then the issued ones by expiry. */
  public List<JoinTokenView> list() {
    Instant now = clock.instant();
    List<JoinTokenView> out = new ArrayList<>();
    master.read(
        () -> {
          if (configured != null) {
            out.add(configuredView(now));
          }
          master.joinTokens().values().stream()
              .filter(r -> !r.id().equals(BOOTSTRAP_ID))
              .sorted(Comparator.comparing(JoinTokenRecord::expiresAt).thenComparing(r -> r.id()))
              .forEach(r -> out.add(view(r, now)));
          return null;
        });
    return out;
  }

  /**
   * Revokes the token {@code id} ({@code bootstrap}: the configured one): agents can no longer join
   * with it. Agents that joined with it keep their own credentials.
   */
  public JoinTokenView revoke(String id) {
    Instant now = clock.instant();
    return master.run(
        c -> {
          JoinTokenRecord revoked;
          if (id.equals(BOOTSTRAP_ID) && configured != null) {
            revoked =
                new JoinTokenRecord(
                    BOOTSTRAP_ID, sha256(configured), null, null, configuredExpiresAt, true);
          } else {
            JoinTokenRecord r = master.joinTokens().get(id);
            if (r == null || id.equals(BOOTSTRAP_ID)) {
              throw ApiError.notFound("no join token " + id);
            }
            revoked = r.withRevoked();
          }
          JoinTokenRecord before = master.joinTokens().get(id);
          if (!revoked.equals(before)) {
            c.journal(new StateEvent.JoinTokenPut(revoked));
          }
          if (id.equals(BOOTSTRAP_ID)) {
            configuredRevoked = true;
          }
          return id.equals(BOOTSTRAP_ID) ? configuredView(now) : view(revoked, now);
        });
  }

  /** Forgets issued tokens that expired more than {@link #FORGET_AFTER} ago. */
  private void forgetOld(Change c, Instant now) {
    List<String> old =
        master.joinTokens().values().stream()
            .filter(r -> !r.id().equals(BOOTSTRAP_ID))
            .filter(r -> r.expiresAt().plus(FORGET_AFTER).isBefore(now))
            .map(JoinTokenRecord::id)
            .toList();
    for (String id : old) {
      c.journal(new StateEvent.JoinTokenRemoved(id));
    }
  }

  private JoinTokenView configuredView(Instant now) {
    boolean revoked = configuredRevokedInState();
    return new JoinTokenView(
        BOOTSTRAP_ID,
        "configured (joinToken or joinTokenFile)",
        null,
        configuredExpiresAt,
        revoked
            ? JoinTokenView.State.REVOKED
            : verdict(configuredExpiresAt, now) == Verdict.JOIN
                ? JoinTokenView.State.ACTIVE
                : JoinTokenView.State.EXPIRED);
  }

  private static JoinTokenView view(JoinTokenRecord r, Instant now) {
    return new JoinTokenView(
        r.id(),
        r.description(),
        r.createdAt(),
        r.expiresAt(),
        r.revoked()
            ? JoinTokenView.State.REVOKED
            : now.isBefore(r.expiresAt())
                ? JoinTokenView.State.ACTIVE
                : JoinTokenView.State.EXPIRED);
  }

  /** Ten characters of [a-z0-9]: public, names the token in lists and revocations. */
  private static String newId() {
    String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    StringBuilder id = new StringBuilder(10);
    for (int i = 0; i < 10; i++) {
      id.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
    }
    return id.toString();
  }

  static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is missing from the JDK", e);
    }
  }

  /**
   * The credential derived from agent {@code id}'s id (records without a credential of their own).
   */
  String agentToken(AgentId id) {
    return AGENT_PREFIX + mac("agent\0" + id.value());
  }

  public boolean isAgentToken(String token) {
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

  /**
   * A key for {@code purpose} derived from this allocator's token key (the same on every
   * allocator).
   */
  public byte[] subkey(String purpose) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(purpose.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from the JDK", e);
    }
  }

  /** A key only holders of the CA key can compute, the same on every allocator. */
  public static byte[] derive(PrivateKey caKey) {
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
    // Agents' credentials are derived from this key: it must outlive a crash (rename included).
    DurableFiles.write(
        file, Base64.getEncoder().encodeToString(key).getBytes(StandardCharsets.US_ASCII));
    return key;
  }
}
