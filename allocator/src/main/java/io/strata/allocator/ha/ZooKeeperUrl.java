package io.strata.allocator.ha;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where an HA group keeps its state: {@code zk://host:port[,host:port...]/root}, the form Mesos
 * masters take in {@code --zk}. The hosts are the ZooKeeper ensemble; the root is the znode under
 * which the cluster's log, snapshots, election and {@code epoch} znode live (one cluster per root).
 *
 * @param connectString the ensemble as ZooKeeper's client takes it, {@code h1:2181,h2:2181}
 * @param root an absolute znode path without a trailing slash, e.g. {@code /strata}
 */
public record ZooKeeperUrl(String connectString, String root) {
  public static final String SCHEME = "zk://";

  /**
   * Parses {@code url}, or says what is wrong with it in one sentence (for a field's violation).
   */
  public static Result parse(String url) {
    if (url == null || url.isBlank()) {
      return Result.error("is empty; expected zk://host:port[,host:port...]/root");
    }
    if (!url.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
      return Result.error(
          "must start with zk:// (e.g. zk://10.0.0.4:2181,10.0.0.5:2181/strata), was '"
              + url
              + "'");
    }
    String rest = url.substring(SCHEME.length());
    int slash = rest.indexOf('/');
    if (slash < 0) {
      return Result.error(
          "names no root znode: add one after the hosts, e.g. zk://" + rest + "/strata");
    }
    String hosts = rest.substring(0, slash);
    String root = rest.substring(slash);
    if (hosts.isEmpty()) {
      return Result.error("names no ZooKeeper server before the root " + root);
    }
    List<String> servers = new ArrayList<>();
    for (String server : hosts.split(",", -1)) {
      Optional<String> problem = checkServer(server);
      if (problem.isPresent()) {
        return Result.error(problem.get());
      }
      servers.add(server);
    }
    Optional<String> rootProblem = checkRoot(root);
    if (rootProblem.isPresent()) {
      return Result.error(rootProblem.get());
    }
    return new Result(new ZooKeeperUrl(String.join(",", servers), root), null);
  }

  /** The URL again, as {@code zk://connectString/root}. */
  @Override
  public String toString() {
    return SCHEME + connectString + root;
  }

  private static Optional<String> checkServer(String server) {
    if (server.isEmpty()) {
      return Optional.of("has an empty server in its host list (two commas, or a trailing one)");
    }
    if (server.contains("@") || server.contains("?") || server.contains("#")) {
      return Optional.of(
          "server '" + server + "' must be host:port (no credentials, query or fragment)");
    }
    int colon = server.lastIndexOf(':');
    boolean bracketed = server.startsWith("[");
    if (colon < 0 || (bracketed && colon < server.indexOf(']'))) {
      return Optional.of("server '" + server + "' needs a port, e.g. " + server + ":2181");
    }
    String host = server.substring(0, colon);
    if (host.isEmpty() || host.equals("[]")) {
      return Optional.of("server '" + server + "' names no host");
    }
    if (!bracketed && host.contains(":")) {
      return Optional.of("server '" + server + "': write an IPv6 address in brackets, [::1]:2181");
    }
    String port = server.substring(colon + 1);
    try {
      int p = Integer.parseInt(port);
      if (p < 1 || p > 65535) {
        return Optional.of("server '" + server + "' has port " + p + ", not in 1-65535");
      }
    } catch (NumberFormatException e) {
      return Optional.of("server '" + server + "' has port '" + port + "', not a number");
    }
    return Optional.empty();
  }

  private static Optional<String> checkRoot(String root) {
    if (root.equals("/")) {
      return Optional.of(
          "has the root / : name a znode for this cluster, e.g. /strata (ZooKeeper's own"
              + " /zookeeper lives beside it)");
    }
    if (root.endsWith("/")) {
      return Optional.of("root '" + root + "' must not end with /");
    }
    for (String segment : root.substring(1).split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        return Optional.of("root '" + root + "' is not a znode path (empty, . or .. segment)");
      }
      for (int i = 0; i < segment.length(); i++) {
        char c = segment.charAt(i);
        if (c <= 0x1f || (c >= 0x7f && c <= 0x9f) || (c >= 0xd800 && c <= 0xf8ff) || c == '?') {
          return Optional.of("root '" + root + "' holds a character ZooKeeper refuses");
        }
      }
    }
    if (root.toLowerCase(Locale.ROOT).equals("/zookeeper") || root.startsWith("/zookeeper/")) {
      return Optional.of("root '" + root + "' is under /zookeeper, which ZooKeeper reserves");
    }
    return Optional.empty();
  }

  /** A parsed URL, or the reason it is not one. */
  public record Result(ZooKeeperUrl url, String error) {
    static Result error(String why) {
      return new Result(null, why);
    }

    public boolean ok() {
      return url != null;
    }
  }
}
