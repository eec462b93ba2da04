package io.strata.agent.linux.cgroups;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The cgroups of one task: one directory per hierarchy it joins, and which one to use for what.
 * Derived from the layout and the container id alone, so a restarted agent finds them again.
 *
 * @param dirs every directory, in creation order
 * @param tracking the directory whose cgroup.procs lists the task's processes and that kill works
 *     on (unified when there is one, else the v1 freezer)
 * @param memory the memory controller's directory, if any
 * @param cpu the cpu controller's directory (shares/weight, quota, throttling), if any
 * @param cpuAccounting where the CPU time is counted: v1 cpuacct, or the unified directory
 * @param pids the pids controller's directory, if any
 */
public record TaskCgroups(
    CgroupLayout.Mode mode,
    List<Path> dirs,
    Path tracking,
    Optional<Path> memory,
    Optional<Path> cpu,
    Optional<Path> cpuAccounting,
    Optional<Path> pids) {

  public TaskCgroups {
    dirs = List.copyOf(dirs);
  }

  /** The cgroup.procs files a task's first process writes itself into before it runs. */
  public List<Path> procsFiles() {
    return dirs.stream().map(d -> d.resolve("cgroup.procs")).toList();
  }

  public Path trackingProcs() {
    return tracking.resolve("cgroup.procs");
  }
}
