package io.strata.provisioner.spec;

/**
 * How an administrator logs in to the machines.
 *
 * @param adminUser the admin account created on every machine
 * @param sshPublicKey a file holding the SSH public key for Linux machines
 * @param windowsAdminPassword where the Windows admin password lives (needed for Windows pools)
 */
public record AccessSpec(String adminUser, SecretRef sshPublicKey, SecretRef windowsAdminPassword) {
  public AccessSpec {
    adminUser = adminUser == null ? "strata" : adminUser;
  }

  public static AccessSpec defaults() {
    return new AccessSpec(null, null, null);
  }
}
