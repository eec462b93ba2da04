package io.strata.allocator.ha;

import io.strata.api.json.Checks;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;

/**
 * The rules of the allocator's HA settings ({@code zookeeper}, {@code advertiseUrl}, {@code
 * zookeeperSessionTimeoutMillis}): what a group of allocators needs to work at all, refused at
 * start with the field that is wrong rather than discovered at the first failover.
 */
public final class HaConfig {
  public static final long DEFAULT_SESSION_TIMEOUT_MILLIS = 10_000;
  private static final Set<String> WILDCARDS =
      Set.of("0.0.0.0", "::", "[::]", "0:0:0:0:0:0:0:0", "*", "");

  private HaConfig() {}

  /** True if {@code host} binds every interface: nobody can reach the allocator under it. */
  public static boolean wildcard(String host) {
    return host == null || WILDCARDS.contains(host.strip());
  }

  /**
   * Checks an HA configuration. Every allocator of a group must sign and accept the same tokens:
   * agents check access tokens offline with the leader's public key and present credentials MACed
   * under the token key, operators and frameworks present one token to whichever allocator leads.
   * Tokens generated into one allocator's data directory would be refused by the next leader.
   */
  public static void check(
      Checks c,
      String zookeeper,
      boolean wildcardWithoutAdvertiseUrl,
      boolean joinTokenConfigured,
      boolean adminConfigured,
      boolean tokenKeyShared) {
    ZooKeeperUrl.Result url = ZooKeeperUrl.parse(zookeeper);
    c.require(url.ok(), "zookeeper", url.error());
    c.require(
        !wildcardWithoutAdvertiseUrl,
        "advertiseUrl",
        "is required with zookeeper when host is a wildcard address: the other allocators and the"
            + " clients redirected here must reach this allocator under it (e.g."
            + " https://10.0.0.4:5050)");
    c.require(
        joinTokenConfigured,
        "joinToken",
        "with zookeeper, every allocator must accept the same join token: give joinToken or"
            + " joinTokenFile (one generated into a data directory is this allocator's only)");
    c.require(
        adminConfigured,
        "principals",
        "with zookeeper, every allocator must accept the same operator token: give an operator"
            + " principal or operatorTokenFile");
    c.require(
        tokenKeyShared,
        "tokenKeyFile",
        "with zookeeper, every allocator must sign agents' access tokens and credentials with the"
            + " same key: give caKeyFile (the cluster CA, from which it is derived) or tokenKeyFile"
            + " (the same file on every allocator; create one with: head -c 32 /dev/urandom |"
            + " base64)");
  }

  /** Why {@code url} cannot be an allocator's advertised URL, or null if it can. */
  public static String advertiseUrlProblem(String url, boolean tls) {
    URI uri;
    try {
      uri = new URI(url.strip());
    } catch (URISyntaxException e) {
      return "is not a URL: " + e.getMessage();
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      return "must be an http:// or https:// URL such as https://10.0.0.4:5050, was '" + url + "'";
    }
    String expected = tls ? "https" : "http";
    if (!scheme.equals(expected)) {
      return "must use "
          + expected
          + ":// : this allocator serves "
          + (tls ? "HTTPS (caKeyFile or tlsCertFile)" : "plain HTTP");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      return "names no host: '" + url + "'";
    }
    if (wildcard(uri.getHost())) {
      return "names the wildcard address " + uri.getHost() + ", which clients cannot reach";
    }
    if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
      return "must be scheme://host:port only (no user, query or fragment)";
    }
    if (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/")) {
      return "must not have a path (the API lives at the root), was '" + uri.getRawPath() + "'";
    }
    return null;
  }

  /** {@code url} without a trailing slash, e.g. {@code https://10.0.0.4:5050}. */
  public static String normalize(String url) {
    String s = url.strip();
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }
}
