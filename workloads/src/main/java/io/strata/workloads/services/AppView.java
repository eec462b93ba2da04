package io.strata.workloads.services;

import io.strata.workloads.core.InstancePhase;
import io.strata.workloads.framework.TaskView;
import io.strata.workloads.framework.TrackedTask;
import io.strata.workloads.spec.AppSpec;
import java.time.Instant;
import java.util.List;

/**
 * An app as {@code strata apps} and {@code GET /v1/apps} show it.
 *
 * @param status RUNNING (all instances healthy), DEPLOYING (a rolling update is under way), WAITING
 *     (instances wait for placement or a restart backoff), DEGRADED (fewer healthy than wanted),
 *     STOPPING (being removed)
 */
public record AppView(
    String id,
    long version,
    int instances,
    int running,
    int healthy,
    int pending,
    String status,
    Instant createdAt,
    Instant updatedAt,
    AppSpec spec,
    List<TaskView> tasks,
    List<InstanceEnd> recentTerminations) {

  /** The app's view, with these views of its instances (none in lists). */
  static AppView of(App app, Iterable<TrackedTask> instances, List<TaskView> tasks) {
    int running = 0;
    int healthy = 0;
    int pending = 0;
    boolean outdated = false;
    for (TrackedTask inst : instances) {
      if (inst.phase() == InstancePhase.RUNNING) {
        running++;
      }
      if (inst.isHealthy()) {
        healthy++;
      }
      if (inst.phase() == InstancePhase.PENDING) {
        pending++;
      }
      if (inst.phase().isLive() && (inst.number() != app.version || inst.replace())) {
        outdated = true;
      }
    }
    String status;
    if (app.removing) {
      status = "STOPPING";
    } else if (outdated) {
      status = "DEPLOYING";
    } else if (healthy >= app.spec.instances() && pending == 0) {
      status = "RUNNING";
    } else if (pending > 0) {
      status = "WAITING";
    } else {
      status = "DEGRADED";
    }
    return new AppView(
        app.spec.id(),
        app.version,
        app.spec.instances(),
        running,
        healthy,
        pending,
        status,
        app.createdAt,
        app.updatedAt,
        app.spec,
        tasks,
        List.copyOf(app.recent));
  }
}
