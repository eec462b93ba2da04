package io.strata.provisioner.local;

import java.time.Instant;
import java.util.List;

/**
 * What {@code <dataDir>/cluster.json} records about a local cluster: enough for a later {@code
 * strata down} (in another process) to find and stop everything, and for the CLI to find the
 * allocator and its token.
 *
 * @param cgroupRoot the cgroup under which every agent's cgroup parent lives
 */
public record ClusterState(
    String url,
    String adminTokenFile,
    String joinTokenFile,
    String logDir,
    String cgroupRoot,
    ProcessRecord allocator,
    List<AgentRecord> agents) {

  public ClusterState {
    agents = agents == null ? List.of() : List.copyOf(agents);
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

  ClusterState withAllocator(ProcessRecord p) {
    return new ClusterState(url, adminTokenFile, joinTokenFile, logDir, cgroupRoot, p, agents);
  }

  ClusterState withAgents(List<AgentRecord> list) {
    return new ClusterState(
        url, adminTokenFile, joinTokenFile, logDir, cgroupRoot, allocator, list);
  }
}
