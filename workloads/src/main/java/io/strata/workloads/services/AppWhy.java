package io.strata.workloads.services;

import io.strata.api.TaskId;
import io.strata.workloads.core.InstancePhase;
import io.strata.workloads.core.PendingReason;
import io.strata.workloads.framework.TaskView;
import io.strata.workloads.framework.WhyView;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds the "why" of an app or one of its instances from the framework's state. */
final class AppWhy {
  private AppWhy() {}

  static WhyView of(App app, Instant now, Map<TaskId, List<PendingReason>> fresh) {
    AppView view = AppView.of(app);
    List<String> notes = new ArrayList<>();
    int updated = 0;
    for (Instance inst : app.instances.values()) {
      if (inst.version == app.version && !inst.replace && inst.isHealthy()) {
        updated++;
      }
    }
    if (app.removing) {
      notes.add("stopping: " + app.instances.size() + " instance(s) left to kill");
    } else if ("DEPLOYING".equals(view.status())) {
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
    } else if ("RUNNING".equals(view.status())) {
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
    List<TaskView> waiting = new ArrayList<>();
    for (Instance inst : app.instances.values()) {
      if (!inst.isHealthy()) {
        waiting.add(withReasons(inst, app, fresh));
      }
    }
    return new WhyView(app.spec.id(), "service", view.status(), notes, waiting);
  }

  static WhyView ofTask(App app, Instance inst, Map<TaskId, List<PendingReason>> fresh) {
    List<String> notes = new ArrayList<>();
    TaskView view = withReasons(inst, app, fresh);
    if (inst.phase == InstancePhase.RUNNING) {
      notes.add(
          inst.isHealthy()
              ? "running and healthy"
              : inst.hasHealthCheck && inst.healthy == null
                  ? "running; waiting for its first health-check verdict"
                  : "running but failing its health check");
    } else if (inst.phase == InstancePhase.LAUNCHING) {
      notes.add("launched on " + inst.hostname + "; waiting for it to start");
    } else if (inst.phase == InstancePhase.KILLING) {
      notes.add("being killed: " + inst.message);
    }
    return new WhyView(inst.id.value(), "task", view.state(), notes, List.of(view));
  }

  /** The instance's view, with fresh reasons when its last offer round gave none. */
  static TaskView withReasons(Instance inst, App app, Map<TaskId, List<PendingReason>> fresh) {
    TaskView v = inst.view(app.spec.id());
    if (inst.phase == InstancePhase.PENDING
        && inst.reasons.isEmpty()
        && fresh.containsKey(inst.id)) {
      return new TaskView(
          v.id(),
          v.kind(),
          v.owner(),
          v.detail(),
          v.state(),
          v.healthy(),
          v.agentId(),
          v.hostname(),
          v.ports(),
          v.since(),
          fresh.get(inst.id),
          v.message());
    }
    return v;
  }

  static String seconds(Duration d) {
    return Math.max(1, (d.toMillis() + 999) / 1000) + "s";
  }
}
