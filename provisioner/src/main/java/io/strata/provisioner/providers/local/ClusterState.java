package io.strata.provisioner.providers.local;

import java.time.Instant;
import java.util.List;

/**
 * What {@code <dataDir>/cluster.json} records about a local cluster: enough for a later {@code
 * strata down} (in another process) to find and stop everything, and for the CLI to find the
 * allocator and its token.
 *
 * @param url the allocator's URL; of an HA cluster, every allocator's, comma-separated
 * @param cgroupRoot the cgroup under which every agent's cgroup parent lives
 * @param allocator the allocator of a cluster without HA (null in an HA cluster)
 * @param allocators the allocators of an HA cluster (empty without HA)
 * @param zookeepers the ZooKeeper servers of an HA cluster (empty without HA)
 * @param zookeeper the allocators' {@code zk://} URL (null without HA)
 */
public record ClusterState(
    String url,
    String adminTokenFile,
    String joinTokenFile,
    String logDir,
    String cgroupRoot,
    ProcessRecord allocator,
    List<AgentRecord> agents,
    List<ServerRecord> allocators,
    List<ServerRecord> zookeepers,
    String zookeeper) {

  public ClusterState {
    agents = agents == null ? List.of() : List.copyOf(agents);
    allocators = allocators == null ? List.of() : List.copyOf(allocators);
    zookeepers = zookeepers == null ? List.of() : List.copyOf(zookeepers);
  }

  /** A cluster without HA: one allocator. */
  public ClusterState(
      String url,
      String adminTokenFile,
      String joinTokenFile,
      String logDir,
      String cgroupRoot,
      ProcessRecord allocator,
      List<AgentRecord> agents) {
    this(
        url,
        adminTokenFile,
        joinTokenFile,
        logDir,
        cgroupRoot,
        allocator,
        agents,
        List.of(),
        List.of(),
        null);
  }

  /** Whether this is an HA cluster (3 allocators on a ZooKeeper ensemble). */
  public boolean ha() {
    return !zookeepers.isEmpty();
  }

  /**
   * A process we started: its pid and start time (so a recycled pid is not mistaken for it).
   *
   * @param startTicks its start time in clock ticks since boot ({@code /proc/PID/stat} field 22):
   *     exact, where {@code startedAt} is only near; null in files written before it was recorded
   */
  public record ProcessRecord(
      long pid, Instant startedAt, String log, List<String> command, Long startTicks) {}

  public record AgentRecord(
      int index,
      String hostname,
      String workDir,
      String cgroupParent,
      int port,
      String taskPorts,
      ProcessRecord process) {}

  /**
   * A server process of an HA cluster: an allocator or a ZooKeeper server.
   *
   * @param index 1..n
   * @param address an allocator's URL (its advertise URL); a ZooKeeper server's {@code host:port}
   * @param dataDir its data dir
   */
  public record ServerRecord(int index, String address, String dataDir, ProcessRecord process) {}

  ClusterState withAllocator(ProcessRecord p) {
    return new ClusterState(
        url,
        adminTokenFile,
        joinTokenFile,
        logDir,
        cgroupRoot,
        p,
        agents,
        allocators,
        zookeepers,
        zookeeper);
  }

  ClusterState withAgents(List<AgentRecord> list) {
    return new ClusterState(
        url,
        adminTokenFile,
        joinTokenFile,
        logDir,
        cgroupRoot,
        allocator,
        list,
        allocators,
        zookeepers,
        zookeeper);
  }

  ClusterState withHa(List<ServerRecord> allocatorList, List<ServerRecord> zkList, String zk) {
    return new ClusterState(
        url,
        adminTokenFile,
        joinTokenFile,
        logDir,
        cgroupRoot,
        allocator,
        agents,
        allocatorList,
        zkList,
        zk);
  }
}
