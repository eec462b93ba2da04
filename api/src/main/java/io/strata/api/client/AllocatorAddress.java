package io.strata.api.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where a client finds the allocators, in one of three text forms:
 *
 * <ul>
 *   <li>one URL, {@code https://10.0.0.4:5050}: that allocator, exactly as before HA;
 *   <li>a comma-separated list, {@code https://a:5050,https://b:5050,https://c:5050}: any of them;
 *       a standby answers 307 to the leader, a dead one is skipped;
 *   <li>{@code zk://h1:2181,h2:2181/strata}: the ZooKeeper ensemble and root the allocators elect
 *       their leader in; the leader's URL is read from the znode {@code <root>/epoch}.
 * </ul>
 *
 * <p>{@link #parse} checks the text and names the bad part; an invalid address cannot be built.
 * {@link #toString()} gives the text form back. {@link AllocatorEndpoints} turns an address into
 * the leader to talk to.
 */
public sealed interface AllocatorAddress {

  /** The ZooKeeper port when a {@code zk://} host names none. */
  int ZOOKEEPER_PORT = 2181;

  /**
   * One or more allocator URLs, all {@code http} or all {@code https}, none twice.
   *
   * @param urls without a trailing slash
   */
  record Urls(List<URI> urls) implements AllocatorAddress {
    public Urls {
      urls = List.copyOf(urls);
      if (urls.isEmpty()) {
        throw new IllegalArgumentException("an allocator address needs at least one URL");
      }
    }

    /** The scheme all the URLs share: {@code http} or {@code https}. */
    @Override
    public Optional<String> scheme() {
      return Optional.of(urls.getFirst().getScheme());
    }

    @Override
    public String toString() {
      return String.join(",", urls.stream().map(URI::toString).toList());
    }
  }

  /**
   * A ZooKeeper ensemble and the root under which the allocators keep their state and election.
   *
   * @param connectString {@code host:port,host:port} as ZooKeeper takes it
   * @param root an absolute znode path such as {@code /strata}
   */
  record ZooKeeper(String connectString, String root) implements AllocatorAddress {
    /** The znode holding {@code {"epoch":n,"leader":"<url>"}}. */
    public String epochPath() {
      return root + "/epoch";
    }

    @Override
    public String toString() {
      return "zk://" + connectString + root;
    }
  }

  /** True for one URL: the client behaves exactly as it did before HA (no failover). */
  default boolean isSingle() {
    return this instanceof Urls u && u.urls().size() == 1;
  }

  /** The scheme of the allocators' URLs when the address says it (not for {@code zk://}). */
  default Optional<String> scheme() {
    return Optional.empty();
  }

  /** One allocator URL (checked like an element of a list). */
  static AllocatorAddress of(URI url) {
    return parse(url.toString());
  }

  /**
   * Parses one of the three forms. Surrounding spaces and spaces around commas are ignored.
   *
   * @throws IllegalArgumentException naming the part that is wrong and what was expected
   */
  static AllocatorAddress parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException(
          "the allocator address is empty: give a URL (https://host:5050), a comma-separated list"
              + " of URLs, or zk://host:2181,host2:2181/strata");
    }
    String t = text.strip();
    if (t.regionMatches(true, 0, "zk://", 0, 5)) {
      return parseZooKeeper(t);
    }
    String[] parts = t.split(",", -1);
    List<URI> urls = new ArrayList<>();
    Set<URI> seen = new LinkedHashSet<>();
    for (int i = 0; i < parts.length; i++) {
      String where = parts.length == 1 ? "allocator URL" : "allocator address " + (i + 1);
      URI url = parseUrl(parts[i].strip(), where);
      if (!seen.add(url)) {
        throw new IllegalArgumentException(where + " '" + url + "' is listed twice");
      }
      if (!urls.isEmpty() && !urls.getFirst().getScheme().equals(url.getScheme())) {
        throw new IllegalArgumentException(
            where
                + " '"
                + url
                + "' is "
                + url.getScheme()
                + " but the first is "
                + urls.getFirst().getScheme()
                + ": all allocators of a cluster use the same scheme");
      }
      urls.add(url);
    }
    return new Urls(urls);
  }

  private static URI parseUrl(String part, String where) {
    if (part.isEmpty()) {
      throw new IllegalArgumentException(where + " is empty (two commas, or a trailing comma?)");
    }
    if (part.regionMatches(true, 0, "zk://", 0, 5)) {
      throw new IllegalArgumentException(
          where + " '" + part + "': a zk:// address stands alone, it cannot be part of a list");
    }
    URI uri;
    try {
      uri = new URI(part);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          where + " '" + part + "' is not a URL: " + e.getReason(), e);
    }
    String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!"http".equals(scheme) && !"https".equals(scheme)) {
      throw new IllegalArgumentException(
          where + " '" + part + "' must start with http:// or https:// (or be zk://...)");
    }
    if (uri.getHost() == null || uri.getRawAuthority() == null) {
      throw new IllegalArgumentException(where + " '" + part + "' names no host");
    }
    if (uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException(
          where + " '" + part + "' carries a user name: the credential is a token, not in the URL");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new IllegalArgumentException(where + " '" + part + "' has a query or fragment");
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    return URI.create(scheme + "://" + uri.getRawAuthority() + path);
  }

  private static ZooKeeper parseZooKeeper(String t) {
    String rest = t.substring(5);
    int slash = rest.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException(
          "the ZooKeeper address '"
              + t
              + "' names no root znode: add the one the allocators use, e.g. zk://"
              + rest
              + "/strata");
    }
    String hosts = rest.substring(0, slash);
    String root = rest.substring(slash);
    if (hosts.isEmpty()) {
      throw new IllegalArgumentException(
          "the ZooKeeper address '" + t + "' names no host: zk://host:2181,host2:2181/strata");
    }
    // host, host:port, [v6] or [v6]:port
    Pattern hostPort =
        Pattern.compile(
            "(?<host>[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?|\\[[0-9A-Fa-f:.]+])(:(?<port>[0-9]{1,5}))?");
    List<String> servers = new ArrayList<>();
    String[] parts = hosts.split(",", -1);
    for (int i = 0; i < parts.length; i++) {
      String p = parts[i].strip();
      var m = hostPort.matcher(p);
      if (!m.matches()) {
        throw new IllegalArgumentException(
            "ZooKeeper host "
                + (i + 1)
                + " '"
                + p
                + "' in '"
                + t
                + "' is not host, host:port or [ipv6]:port");
      }
      int port = ZOOKEEPER_PORT;
      if (m.group("port") != null) {
        port = Integer.parseInt(m.group("port"));
        if (port < 1 || port > 65535) {
          throw new IllegalArgumentException(
              "ZooKeeper host " + (i + 1) + " '" + p + "' has port " + port + ", not 1-65535");
        }
      }
      servers.add(m.group("host") + ":" + port);
    }
    if (!root.matches("(/[A-Za-z0-9._-]+)+")) {
      throw new IllegalArgumentException(
          "the ZooKeeper root '"
              + root
              + "' in '"
              + t
              + "' must be an absolute znode path without a trailing slash, e.g. /strata");
    }
    return new ZooKeeper(String.join(",", servers), root);
  }
}
