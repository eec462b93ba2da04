package io.strata.allocator.state;

import java.time.Instant;

/**
 * A join token an operator issued, or the revocation of the configured one. Only the secret's
 * SHA-256 is kept: the journal, snapshots and state views never hold a usable token.
 *
 * @param id the token's public id (the configured token's is {@code bootstrap})
 * @param secretSha256 hex SHA-256 of the token's secret
 * @param description what the operator said it is for; may be null
 * @param expiresAt when it stops being accepted; null for never (a configured token without expiry)
 * @param revoked refused from now on, whatever its expiry
 */
public record JoinTokenRecord(
    String id,
    String secretSha256,
    String description,
    Instant createdAt,
    Instant expiresAt,
    boolean revoked) {

  public JoinTokenRecord withRevoked() {
    return new JoinTokenRecord(id, secretSha256, description, createdAt, expiresAt, true);
  }
}
