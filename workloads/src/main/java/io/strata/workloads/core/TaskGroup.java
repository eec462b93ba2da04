package io.strata.workloads.core;

import io.strata.api.Os;
import io.strata.api.Resources;
import io.strata.api.TaskId;
import java.util.List;

/**
 * Tasks of one app or job run that need placing, all alike: the same demand, OS, constraints and
 * strategy. {@code group} names the app or job whose tasks constraints count (UNIQUE, MAX_PER,
 * GROUP_BY).
 *
 * @param demand cpus, memory, disk and GPUs of one task (ports come from {@code ports})
 * @param ports how many host ports each task needs
 */
public record TaskGroup(
    String group,
    List<TaskId> tasks,
    Resources demand,
    int ports,
    Os os,
    List<Constraint> constraints,
    PlacementStrategy strategy) {

  public TaskGroup {
    tasks = List.copyOf(tasks);
    constraints = constraints == null ? List.of() : List.copyOf(constraints);
    strategy = strategy == null ? PlacementStrategy.SPREAD : strategy;
    os = os == null ? Os.LINUX : os;
    if (ports < 0) {
      throw new IllegalArgumentException("ports must be >= 0");
    }
  }
}
