package io.strata.workloads.services;

import io.strata.api.TaskStatus;
import io.strata.workloads.core.DeploymentHistory;
import io.strata.workloads.core.PendingReason;
import io.strata.workloads.framework.TrackedTask;
import io.strata.workloads.spec.AppSpec;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * An app as the services framework tracks it, beside its instances in the shell's task table
 * (event-loop thread only): its spec and version, restart backoff, recent ends and history.
 */
final class App {
  static final int RECENT_TERMINATIONS = 10;
  private static final System.Logger LOG = System.getLogger(App.class.getName());

  AppSpec spec;
  long version;
  final Instant createdAt;
  Instant updatedAt;
  boolean removing;
  int consecutiveFailures;

  /**
   * After the last plan: every live instance has the current version and there are as many as
   * wanted, so a start or a health change alone cannot call for an action.
   */
  boolean settled;

  Instant restartNotBefore;
  final Deque<InstanceEnd> recent = new ArrayDeque<>();

  /** The versions applied, with their deployments' outcomes (kept in the store beside the app). */
  DeploymentHistory<AppSpec> history = DeploymentHistory.empty();

  /** Unexpected ends of the current version's instances since it was applied, and the last one. */
  int versionFailures;

  String lastFailure;

  App(AppSpec spec, long version, Instant createdAt, Instant updatedAt, boolean removing) {
    this.spec = spec;
    this.version = version;
    this.createdAt = createdAt;
    this.updatedAt = updatedAt;
    this.removing = removing;
  }

  /** The app with a new spec (at {@code version}), keeping its restart state and history. */
  App respecified(AppSpec newSpec, long newVersion, Instant now) {
    App app = new App(newSpec, newVersion, createdAt, now, false);
    app.consecutiveFailures = consecutiveFailures;
    app.restartNotBefore = restartNotBefore;
    app.recent.addAll(recent);
    app.history = history;
    if (newVersion == version) {
      app.versionFailures = versionFailures;
      app.lastFailure = lastFailure;
    }
    return app;
  }

  StoredApp stored() {
    return new StoredApp(spec, version, createdAt, updatedAt, removing);
  }

  int desired() {
    return removing ? 0 : spec.instances();
  }

  void remember(InstanceEnd t) {
    recent.addFirst(t);
    while (recent.size() > RECENT_TERMINATIONS) {
      recent.removeLast();
    }
  }

  /** An instance ended: remember how, and count a failure unless the framework killed it. */
  void ended(TrackedTask inst, TaskStatus status, Instant now) {
    remember(
        new InstanceEnd(
            inst.id().value(),
            status.state().name(),
            status.reason() == null ? null : status.reason().name(),
            status.exitCode(),
            status.message(),
            now));
    if (inst.killExpected()) {
      return;
    }
    if (inst.number() == version) {
      versionFailures++;
      lastFailure = AppRollouts.failure(recent.peekFirst());
    }
    boolean ranLongEnough =
        inst.runningSince() != null
            && !now.isBefore(inst.runningSince().plusMillis(spec.restart().resetAfterMillis()));
    consecutiveFailures = ranLongEnough ? 1 : consecutiveFailures + 1;
    restartNotBefore = now.plus(spec.restart().delayAfter(consecutiveFailures));
    LOG.log(
        Level.INFO,
        "services: {0} ended {1} ({2}); restart #{3} not before {4}",
        inst.id(),
        status.state(),
        status.message(),
        consecutiveFailures,
        restartNotBefore);
  }

  /** Every live instance is current and there are as many as wanted. */
  boolean isSettled(Iterable<TrackedTask> instances) {
    int live = 0;
    for (TrackedTask inst : instances) {
      if (inst.phase().isLive()) {
        if (inst.number() != version || inst.replace()) {
          return false;
        }
        live++;
      }
    }
    return live == desired();
  }

  Duration backoffLeft(Instant now) {
    return restartNotBefore == null || !now.isBefore(restartNotBefore)
        ? Duration.ZERO
        : Duration.between(now, restartNotBefore);
  }

  PendingReason backoffReason(Duration left) {
    return PendingReason.of(
        PendingReason.Code.BACKOFF,
        "restart delayed by backoff after "
            + consecutiveFailures
            + " consecutive failure(s): "
            + AppWhy.seconds(left)
            + " left");
  }

  /** What the framework keeps in the allocator's store for an app. */
  record StoredApp(
      AppSpec spec, long version, Instant createdAt, Instant updatedAt, boolean removing) {}
}
