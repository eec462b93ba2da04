package io.strata.provisioner.spec;

import io.strata.api.json.Checks;

/**
 * OpenStack references (Keystone v3). The password is a {@link SecretRef}.
 *
 * @param authUrl Keystone v3 endpoint, e.g. {@code https://keystone.example:5000/v3}
 * @param userName user to authenticate as
 * @param userDomain that user's domain (default {@code Default})
 * @param projectName project (tenant) that owns the resources
 * @param projectDomain the project's domain (default {@code Default})
 * @param password where the password lives
 * @param externalNetwork the provider network the router uplinks to (floating IPs)
 */
public record OpenStackSpec(
    String authUrl,
    String userName,
    String userDomain,
    String projectName,
    String projectDomain,
    SecretRef password,
    String externalNetwork) {
  public OpenStackSpec {
    userDomain = userDomain == null ? "Default" : userDomain;
    projectDomain = projectDomain == null ? "Default" : projectDomain;
    Checks c =
        new Checks()
            .notBlank("authUrl", authUrl)
            .notBlank("userName", userName)
            .notBlank("projectName", projectName)
            .notNull("password", password)
            .notBlank("externalNetwork", externalNetwork);
    if (authUrl != null) {
      c.require(
          authUrl.startsWith("https://") || authUrl.startsWith("http://"),
          "authUrl",
          "must be an http(s) URL");
    }
    c.done();
  }
}
