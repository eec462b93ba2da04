package io.strata.provisioner.providers.local;

import java.nio.file.Path;
import java.util.List;

/**
 * An agent's own cleanup of what it leaves on the host: kills every task under a cgroup parent (an
 * agent's, or the cluster's root holding one per agent) and removes the cgroups, parent included.
 * The launcher stops the processes it started; what they left in cgroups is the agent's business,
 * and the provisioner may not import an agent, so whoever builds the launcher supplies the agent's
 * code for it (the CLI: agent-linux's orphan sweep). May block until the tasks are gone; never
 * kills the calling process or its ancestors.
 */
@FunctionalInterface
public interface AgentCleanup {
  /**
   * What a cleanup did.
   *
   * @param tasksKilled task cgroups whose processes were killed
   * @param left cgroup directories that could not be removed
   */
  record Result(int tasksKilled, List<Path> left) {
    public Result {
      left = List.copyOf(left);
    }

    Result plus(Result other) {
      List<Path> all = new java.util.ArrayList<>(left);
      all.addAll(other.left);
      return new Result(tasksKilled + other.tasksKilled, all);
    }
  }

  /**
   * Cleans up under {@code cgroupParent}, a path relative to each cgroup hierarchy's root. Nothing
   * there (or no cgroups on this host) is fine.
   */
  Result clean(String cgroupParent);
}
