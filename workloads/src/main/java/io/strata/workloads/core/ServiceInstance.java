package io.strata.workloads.core;

import io.strata.api.TaskId;

/**
 * One instance of a service app as the planner sees it.
 *
 * @param version the app version it was launched with
 * @param healthy running and passing its health check (running, if the app has none)
 * @param replace must move although its version is current (its agent is draining)
 */
public record ServiceInstance(
    TaskId taskId, long version, InstancePhase phase, boolean healthy, boolean replace) {

  public ServiceInstance {
    healthy = healthy && phase == InstancePhase.RUNNING;
  }
}
