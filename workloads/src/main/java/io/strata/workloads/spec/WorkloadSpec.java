package io.strata.workloads.spec;

import io.strata.api.ContainerInfo;
import io.strata.api.HealthCheck;
import io.strata.api.Os;
import io.strata.api.TaskId;
import io.strata.workloads.core.Constraint;
import io.strata.workloads.core.PlacementStrategy;
import io.strata.workloads.core.TaskGroup;
import java.util.List;
import java.util.Map;

/**
 * A document a user submits: a service app or a job. Both say how to run their tasks with the same
 * fields (the record components), gathered by {@link #template}.
 */
public sealed interface WorkloadSpec permits AppSpec, JobSpec {
  String SERVICE = "service";
  String JOB = "job";

  String id();

  String kind();

  String command();

  List<String> args();

  ContainerInfo container();

  ResourceSpec resources();

  Map<String, String> env();

  Os os();

  List<Constraint> constraints();

  PlacementStrategy placement();

  Map<String, String> labels();

  String user();

  Long killGracePeriodMillis();

  /** The health check of each task; null: none. */
  default HealthCheck taskHealthCheck() {
    return null;
  }

  /** These pending tasks of it, as placement takes them. */
  default TaskGroup group(List<TaskId> pending) {
    return new TaskGroup(
        id(), pending, template().demand(), template().ports(), os(), constraints(), placement());
  }

  /** How to run one task of it and where it may go. */
  default TaskTemplate template() {
    return new TaskTemplate(
        command(),
        args(),
        container(),
        resources(),
        env(),
        os(),
        constraints(),
        placement(),
        taskHealthCheck(),
        labels(),
        user(),
        killGracePeriodMillis());
  }
}
