package io.strata.agent;

import io.strata.api.PortRanges;
import io.strata.api.Resources;
import io.strata.api.client.AllocatorAddress;
import io.strata.api.json.Checks;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What every agent is told by its operator (the {@code agent:} section of its config file). Decoded
 * strictly: unknown fields and bad values are reported with their field path.
 *
 * @param workDir where the agent keeps its identity, task checkpoints, pending status updates and
 *     sandboxes; survives restarts
 * @param allocator the allocators' address: one URL ({@code http://10.0.0.2:5050}), a
 *     comma-separated list of URLs, or {@code zk://host:2181,host2:2181/strata}
 * @param joinToken the cluster's bootstrap token, presented as bearer
 * @param hostname the name reported to the allocator; the machine's when absent
 * @param listen where the agent's own HTTP endpoint listens ({@code host:port}); port 0 picks one
 * @param advertise the URL the allocator and operators use to reach that endpoint; derived from
 *     hostname and port when absent; {@code https://} when {@code caFile} is set
 * @param resources overrides of discovered resources in the text form ({@code cpus:2;mem:4096});
 *     only the quantities named are overridden
 * @param reserved a slice kept for the system, subtracted from what is offered ({@code
 *     cpus:0.5;mem:512})
 * @param ports the port range tasks may be given
 * @param attributes facts for placement constraints ({@code zone: eu-1})
 * @param defaultUser who tasks run as when neither the task nor its framework names a user
 * @param allowedUsers if not empty, the only users tasks may run as
 * @param allowRootTasks whether tasks may run as root
 * @param logMaxBytes a task's stdout/stderr file is rotated past this size
 * @param logFiles how many rotated files of each are kept
 * @param sandboxRetentionMillis how long the sandbox of a finished task is kept once the allocator
 *     has its end (default one day)
 * @param caFile the cluster CA certificate (PEM) to trust for an {@code https} allocator; only it
 *     is trusted, not the machine's CA store. Absent: the JVM's default trust
 */
public record AgentConfig(
    String workDir,
    String allocator,
    String joinToken,
    String hostname,
    String listen,
    String advertise,
    String resources,
    String reserved,
    String ports,
    Map<String, String> attributes,
    String defaultUser,
    List<String> allowedUsers,
    Boolean allowRootTasks,
    Long logMaxBytes,
    Integer logFiles,
    Long sandboxRetentionMillis,
    String caFile) {

  public static final String DEFAULT_LISTEN = "0.0.0.0:5051";
  public static final String DEFAULT_RESERVED = "cpus:0;mem:256";
  public static final String DEFAULT_PORTS = "[31000-32000]";
  private static final Pattern LISTEN =
      Pattern.compile("(\\[[0-9a-fA-F:]+\\]|[^:\\s]+):(\\d{1,5})");

  public AgentConfig {
    Checks c = new Checks().notBlank("workDir", workDir).notBlank("allocator", allocator);
    c.notBlank("joinToken", joinToken);
    if (allocator != null && !allocator.isBlank()) {
      String problem = addressProblem(allocator);
      c.require(problem == null, "allocator", problem);
    }
    listen = listen == null ? DEFAULT_LISTEN : listen;
    c.matches("listen", listen, LISTEN, "must be host:port");
    if (advertise != null) {
      c.require(isHttpUrl(advertise), "advertise", "must be an http:// or https:// URL");
    }
    reserved = reserved == null ? DEFAULT_RESERVED : reserved;
    ports = ports == null ? DEFAULT_PORTS : ports;
    if (resources != null) {
      String text = resources;
      c.nested("resources", () -> Resources.parse(text));
    }
    String reservedText = reserved;
    c.nested("reserved", () -> Resources.parse(reservedText));
    String portsText = ports;
    c.nested("ports", () -> PortRanges.parse(portsText));
    attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    defaultUser = defaultUser == null ? "nobody" : defaultUser;
    c.notBlank("defaultUser", defaultUser);
    c.noNullElements("allowedUsers", allowedUsers);
    allowedUsers = allowedUsers == null ? List.of() : List.copyOf(allowedUsers);
    allowRootTasks = allowRootTasks != null && allowRootTasks;
    logMaxBytes = logMaxBytes == null ? 10L << 20 : logMaxBytes;
    c.range("logMaxBytes", logMaxBytes, 4096, 1L << 40);
    logFiles = logFiles == null ? 3 : logFiles;
    c.range("logFiles", logFiles, 1, 100);
    sandboxRetentionMillis = sandboxRetentionMillis == null ? 86_400_000L : sandboxRetentionMillis;
    c.range("sandboxRetentionMillis", sandboxRetentionMillis, 0, 365L * 86_400_000L);
    if (caFile != null) {
      c.notBlank("caFile", caFile);
      // With the cluster CA the endpoint serves HTTPS only: an http:// URL would send everyone
      // to a scheme it does not speak.
      c.require(
          advertise == null || !advertise.regionMatches(true, 0, "http://", 0, 7),
          "advertise",
          "must be an https:// URL: with caFile the agent's endpoint serves HTTPS only");
    }
    c.done();
  }

  private static boolean isHttpUrl(String text) {
    try {
      URI uri = URI.create(text);
      return (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          && uri.getHost() != null);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * Why {@code text} is no allocator address (one URL, a comma-separated list of URLs, or {@code
   * zk://host:2181,host2:2181/root}); null if it is one.
   */
  static String addressProblem(String text) {
    try {
      AllocatorAddress.parse(text);
      return null;
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  /** The allocators: one URL, a list, or a ZooKeeper ensemble ({@link AllocatorAddress}). */
  public AllocatorAddress allocatorAddress() {
    return AllocatorAddress.parse(allocator);
  }

  /** The listen host. */
  public String listenHost() {
    String host = listen.substring(0, listen.lastIndexOf(':'));
    return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
  }

  public int listenPort() {
    return Integer.parseInt(listen.substring(listen.lastIndexOf(':') + 1));
  }

  public Resources reservedResources() {
    return Resources.parse(reserved);
  }

  public PortRanges portRanges() {
    return PortRanges.parse(ports);
  }

  /** The quantity names the {@code resources} override sets (cpus, mem, disk, gpus, ports). */
  public List<String> overriddenNames() {
    if (resources == null) {
      return List.of();
    }
    return java.util.Arrays.stream(resources.split(";"))
        .map(String::trim)
        .filter(p -> !p.isEmpty())
        .map(p -> p.substring(0, Math.max(0, p.indexOf(':'))).trim())
        .toList();
  }

  public Resources resourceOverrides() {
    return resources == null ? Resources.EMPTY : Resources.parse(resources);
  }
}
