package io.strata.allocator.server.auth;

import io.strata.allocator.server.master.AgentEntry;
import io.strata.allocator.server.master.ApiError;
import io.strata.allocator.server.master.Master;
import io.strata.allocator.state.AgentRecord;
import io.strata.api.AgentId;
import io.strata.api.client.Paths;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Agents' own credentials: who may act for an agent. A join token only admits a new agent, whose id
 * the allocator assigns; the answer carries that agent's credential ({@code sa2.} and 32 random
 * bytes), of which the state keeps only the SHA-256, in the agent's record. From then on every call
 * for that id (re-registration, heartbeat, stream, status updates) must present that credential,
 * and no other: neither a join token nor another agent's credential.
 *
 * <p>Because the credential lives in the agent's record, it ends with the record: an agent removed
 * (GONE, drained and marked gone, or revoked by an operator) can never act under its id again, even
 * after its id is forgotten. Agents recorded by allocators from before credentials were state
 * (their record holds none) present the credential derived from their id ({@code sa1.}, {@link
 * JoinTokens#agentToken}) until they are removed.
 */
public final class AgentCredentials {
  static final String PREFIX = "sa2.";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Master master;
  private final JoinTokens tokens;

  AgentCredentials(Master master, JoinTokens tokens) {
    this.master = master;
    this.tokens = tokens;
  }

  /** A new credential, to be answered once and kept by the state as its {@link #sha256}. */
  public static String issue() {
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
  }

  public static String sha256(String credential) {
    return JoinTokens.sha256(credential);
  }

  /** True if {@code token} has the form of an agent's credential (not whose it is). */
  public boolean isCredential(String token) {
    return token != null && (token.startsWith(PREFIX) || tokens.isAgentToken(token));
  }

  /**
   * Throws unless {@code token} is agent {@code id}'s own credential: 401 if it is not (or the
   * agent is unknown, or its credential was revoked), 410 if the agent was removed. Takes the
   * master's lock; an operation may call it under the lock, before it changes anything.
   */
  public void require(AgentId id, String token) {
    master.read(
        () -> {
          requireLocked(id, token);
          return null;
        });
  }

  private void requireLocked(AgentId id, String token) {
    if (master.revoked(id)) {
      throw ApiError.unauthorized(
          "the credential of agent "
              + id
              + " was revoked by an operator and the agent removed; the node must join anew with a"
              + " join token (it gets a new id and credential): the agent does so by itself, or"
              + " delete its work dir's meta/agent-id and meta/agent-credential");
    }
    if (master.goneAgents.contains(id)) {
      // Says only that the id was removed, which its own agent must learn (410: join anew) although
      // its credential, kept with its record, is gone with it.
      throw ApiError.gone("agent " + id + " was removed; register again without an id");
    }
    AgentEntry entry = master.agents.get(id);
    if (entry == null) {
      throw ApiError.unauthorized(
          "no agent "
              + id
              + " is known here (never registered, or removed and forgotten): no credential acts"
              + " for it; join anew with a join token, without an id");
    }
    if (!matches(entry.record, token)) {
      throw ApiError.unauthorized(
          tokens.join(token) == JoinTokens.Verdict.UNKNOWN
              ? "present agent "
                  + id
                  + "'s own credential (the one its registration answered with) as bearer token"
              : "a join token registers new agents only (POST "
                  + Paths.AGENT_REGISTER
                  + " without an id); agent "
                  + id
                  + "'s calls take that agent's own credential");
    }
  }

  private boolean matches(AgentRecord record, String token) {
    if (token == null) {
      return false;
    }
    if (record.credentialSha256() == null) {
      return tokens.isAgent(token, record.id());
    }
    return token.startsWith(PREFIX)
        && MessageDigest.isEqual(
            sha256(token).getBytes(StandardCharsets.US_ASCII),
            record.credentialSha256().getBytes(StandardCharsets.US_ASCII));
  }
}
