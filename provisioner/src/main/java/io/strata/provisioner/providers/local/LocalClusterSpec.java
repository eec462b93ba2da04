package io.strata.provisioner.providers.local;

import io.strata.api.json.Checks;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A cluster on this machine: one allocator and {@code agents} Linux agents, each a separate process
 * with its own work dir, resource slice, task port range and cgroup parent.
 *
 * <p>Placeholders the templates may use. Allocator: {@code {dataDir}} (its data dir), {@code
 * {host}}, {@code {port}}, {@code {joinTokenFile}}, {@code {adminTokenFile}}, {@code {logDir}}.
 * Agent: {@code {url}} (the allocator), {@code {index}} (1..n), {@code {name}} ({@code a1}), {@code
 * {hostname}} (unique per agent: {@code <machine>-a1}), {@code {workDir}}, {@code {port}} (the
 * agent's HTTP port), {@code {cpus}}, {@code {mem}}, {@code {ports}} (its task port range, e.g.
 * {@code 31000-31999}), {@code {cgroupParent}}, {@code {joinTokenFile}}.
 *
 * @param dataDir everything lives under it: state, tokens, logs, work dirs
 * @param agentMillicpus CPU each agent offers
 * @param agentMemoryBytes memory each agent offers
 * @param port the allocator's port on 127.0.0.1
 * @param agentPortBase agent i listens on {@code agentPortBase + i}
 * @param taskPortBase agent i offers task ports {@code taskPortBase + (i-1)·taskPortsPerAgent}...
 * @param startTimeout how long to wait for the allocator and the agents' registration
 * @param ha null: one allocator; else several on a ZooKeeper ensemble ({@link Ha})
 */
public record LocalClusterSpec(
    Path dataDir,
    int agents,
    long agentMillicpus,
    long agentMemoryBytes,
    String host,
    int port,
    int agentPortBase,
    int taskPortBase,
    int taskPortsPerAgent,
    ProcessTemplate allocator,
    ProcessTemplate agent,
    Duration startTimeout,
    Ha ha) {

  /** A cluster with one allocator. */
  public LocalClusterSpec(
      Path dataDir,
      int agents,
      long agentMillicpus,
      long agentMemoryBytes,
      String host,
      int port,
      int agentPortBase,
      int taskPortBase,
      int taskPortsPerAgent,
      ProcessTemplate allocator,
      ProcessTemplate agent,
      Duration startTimeout) {
    this(
        dataDir,
        agents,
        agentMillicpus,
        agentMemoryBytes,
        host,
        port,
        agentPortBase,
        taskPortBase,
        taskPortsPerAgent,
        allocator,
        agent,
        startTimeout,
        null);
  }

  /**
   * High availability: {@code allocators} allocators (allocator i on {@code port + i - 1}, each
   * with its own data dir) on an ensemble of {@code zookeepers} ZooKeeper servers (server i on
   * client port {@code zookeeperPortBase + i}, peer and election ports 10 and 20 above).
   *
   * <p>The allocator template may use, besides the allocator's placeholders, {@code {zookeeper}}
   * (the {@code zk://} URL, root {@code /strata}), {@code {advertiseUrl}} and {@code
   * {tokenKeyFile}} (the key every allocator signs tokens with, generated once); the ZooKeeper
   * template {@code {config}} (the server's zoo.cfg) and {@code {index}}. Agents' {@code {url}} is
   * every allocator's URL, comma-separated.
   */
  public record Ha(
      int allocators, int zookeepers, int zookeeperPortBase, ProcessTemplate zookeeper) {
    public Ha {
      new Checks()
          .range("ha.allocators", allocators, 1, 9)
          .range("ha.zookeepers", zookeepers, 1, 9)
          .range("ha.zookeeperPortBase", zookeeperPortBase, 1, 65535 - 30)
          .notNull("ha.zookeeper", zookeeper)
          .done();
    }
  }

  public LocalClusterSpec {
    Checks c =
        new Checks()
            .notNull("dataDir", dataDir)
            .range("agents", agents, 0, 64)
            .range("agentMillicpus", agentMillicpus, 1, 1_000_000)
            .range("agentMemoryBytes", agentMemoryBytes, 16L << 20, 1L << 50)
            .range("port", port, 1, 65535)
            .range("agentPortBase", agentPortBase, 1, 65535 - 64)
            .range("taskPortsPerAgent", taskPortsPerAgent, 1, 10_000)
            .notNull("allocator", allocator)
            .notNull("agent", agent);
    c.require(
        taskPortBase >= 1 && (long) taskPortBase + (long) agents * taskPortsPerAgent <= 65536,
        "taskPortBase",
        "the agents' task port ranges must fit below 65536");
    c.done();
    host = host == null ? "127.0.0.1" : host;
    startTimeout = startTimeout == null ? Duration.ofSeconds(120) : startTimeout;
  }

  /** The allocator's URL; with HA, every allocator's, comma-separated. */
  public String url() {
    if (ha == null) {
      return allocatorUrl(1);
    }
    java.util.List<String> urls = new java.util.ArrayList<>();
    for (int i = 1; i <= ha.allocators(); i++) {
      urls.add(allocatorUrl(i));
    }
    return String.join(",", urls);
  }

  /** Allocator i's URL (1..n): port {@code port + i - 1}. */
  public String allocatorUrl(int index) {
    return "http://" + host + ":" + (port + index - 1);
  }
}
