package io.strata.workloads.services;

import io.strata.workloads.core.InstancePhase;
import io.strata.workloads.framework.TaskView;
import io.strata.workloads.framework.TrackedTask;
import io.strata.workloads.framework.WhyView;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Builds the "why" of an app or one of its instances from the framework's state. */
final class AppWhy {
  private AppWhy() {}

  /**
   * @param app the app (null: not ours)
   * @param task one of its instances, for the why of that one only (null: of the app)
   * @param instances the app's instances
   * @param view an instance's view, with fresh reasons if it waits
   */
  static WhyView of(
      App app,
      TrackedTask task,
      Iterable<TrackedTask> instances,
      Instant now,
      Function<TrackedTask, TaskView> view) {
    if (task != null || app == null) {
      return task == null ? null : ofTask(task, view.apply(task));
    }
    AppView summary = AppView.of(app, instances, List.of());
    List<String> notes = new ArrayList<>();
    int updated = 0;
    int count = 0;
    List<TaskView> waiting = new ArrayList<>();
    for (TrackedTask inst : instances) {
      count++;
      if (inst.number() == app.version && !inst.replace() && inst.isHealthy()) {
        updated++;
      }
      if (!inst.isHealthy()) {
        waiting.add(view.apply(inst));
      }
    }
    if (app.removing) {
      notes.add("stopping: " + count + " instance(s) left to kill");
    } else if ("DEPLOYING".equals(summary.status())) {
      notes.add(
          "rolling update to version "
              + app.version
              + ": "
              + updated
              + " of "
              + app.spec.instances()
              + " instances updated and healthy; old ones are killed as new ones become healthy"
              + " (maxSurge "
              + app.spec.upgrade().maxSurge()
              + ", maxUnavailable "
              + app.spec.upgrade().maxUnavailable()
              + ")");
    } else if ("RUNNING".equals(summary.status())) {
      notes.add("all " + app.spec.instances() + " instance(s) running and healthy");
    }
    if (app.restartNotBefore != null && now.isBefore(app.restartNotBefore)) {
      notes.add(
          "restarts delayed by backoff after "
              + app.consecutiveFailures
              + " consecutive failure(s): "
              + seconds(Duration.between(now, app.restartNotBefore))
              + " left");
    }
    if (!app.recent.isEmpty()) {
      InstanceEnd t = app.recent.peekFirst();
      notes.add(
          "last ended: "
              + t.taskId()
              + " "
              + t.state()
              + (t.exitCode() == null ? "" : " (exit " + t.exitCode() + ")")
              + (t.message() == null ? "" : ": " + t.message()));
    }
    return new WhyView(app.spec.id(), "service", summary.status(), notes, waiting);
  }

  /** The why of one instance ({@code view}: its view, with fresh reasons if it waits). */
  private static WhyView ofTask(TrackedTask inst, TaskView view) {
    List<String> notes = new ArrayList<>();
    if (inst.phase() == InstancePhase.RUNNING) {
      notes.add(
          inst.isHealthy()
              ? "running and healthy"
              : inst.hasHealthCheck() && inst.healthy() == null
                  ? "running; waiting for its first health-check verdict"
                  : "running but failing its health check");
    } else if (inst.phase() == InstancePhase.LAUNCHING) {
      notes.add("launched on " + inst.hostname() + "; waiting for it to start");
    } else if (inst.phase() == InstancePhase.KILLING) {
      notes.add("being killed: " + inst.message());
    }
    return new WhyView(inst.id().value(), "task", view.state(), notes, List.of(view));
  }

  static String seconds(Duration d) {
    return Math.max(1, (d.toMillis() + 999) / 1000) + "s";
  }
}
