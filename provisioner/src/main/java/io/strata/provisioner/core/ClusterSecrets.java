package io.strata.provisioner.core;

/**
 * Created once per cluster, at its first apply, and kept in the state file (owner-only, 0600).
 *
 * @param caCertPem the cluster CA certificate every node trusts
 * @param caKeyPem its private key: only the allocator receives it, to issue its TLS certificate
 * @param joinToken the bootstrap token agents present once to get their own credentials
 * @param joinTokenExpiresAt when the allocator stops accepting it (RFC 3339)
 * @param operatorToken the token of the allocator's {@code admin} principal (operator, every role),
 *     written to the allocator as a file by its template; the provisioner polls readiness with it.
 *     Null in state files written before it existed: such clusters keep polling without one
 */
public record ClusterSecrets(
    String caCertPem,
    String caKeyPem,
    String joinToken,
    String joinTokenExpiresAt,
    String operatorToken) {

  /** Secrets without an operator token (state files from before it existed). */
  public ClusterSecrets(
      String caCertPem, String caKeyPem, String joinToken, String joinTokenExpiresAt) {
    this(caCertPem, caKeyPem, joinToken, joinTokenExpiresAt, null);
  }

  @Override
  public String toString() {
    return "ClusterSecrets[caCertPem=..., caKeyPem=<redacted>, joinToken=<redacted>, expiresAt="
        + joinTokenExpiresAt
        + ", operatorToken="
        + (operatorToken == null ? "none" : "<redacted>")
        + "]";
  }
}
