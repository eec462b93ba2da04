package io.strata.provisioner.core;

/**
 * Created once per cluster, at its first apply, and kept in the state file.
 *
 * @param caCertPem the cluster CA certificate every node trusts
 * @param caKeyPem its private key: only the allocator receives it, to issue agent certificates
 * @param joinToken the bootstrap token agents present once to get their own credentials
 * @param joinTokenExpiresAt when the allocator stops accepting it (RFC 3339)
 */
public record ClusterSecrets(
    String caCertPem, String caKeyPem, String joinToken, String joinTokenExpiresAt) {
  @Override
  public String toString() {
    return "ClusterSecrets[caCertPem=..., caKeyPem=<redacted>, joinToken=<redacted>, expiresAt="
        + joinTokenExpiresAt
        + "]";
  }
}
