package io.strata.workloads.services;

import io.strata.api.json.ValidationException;
import io.strata.workloads.core.DeploymentHistory;
import io.strata.workloads.core.FieldChange;
import io.strata.workloads.core.Revision;
import io.strata.workloads.core.RolloutPlan;
import io.strata.workloads.core.SpecDiff;
import io.strata.workloads.framework.NotFound;
import io.strata.workloads.framework.TrackedTask;
import io.strata.workloads.spec.AppSpec;
import io.strata.workloads.spec.Specs;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The services framework's rollout bookkeeping, kept apart from it: an app's dry-run plan, what to
 * record in its history when a version is applied, and when its deployment is complete. Decisions
 * are in the pure {@link io.strata.workloads.core.DeploymentHistory} and {@link RolloutPlan}.
 */
final class AppRollouts {
  private static final int CAUSE_FIELDS = 4;

  private AppRollouts() {}

  private static Map<String, Object> tree(AppSpec spec) {
    return Specs.tree(spec);
  }

  /** What submitting {@code spec} would do to {@code app} (null: no such app). */
  static RolloutPlan plan(App app, AppSpec spec) {
    if (app == null || app.removing) {
      // A removed app that still stops comes back as its next version.
      long version = app == null ? 0 : app.version;
      return RolloutPlan.forApp(spec.id(), null, version, 0, tree(spec), spec.instances(), true);
    }
    return RolloutPlan.forApp(
        spec.id(),
        tree(app.spec),
        app.version,
        app.spec.instances(),
        tree(spec),
        spec.instances(),
        spec.differsInTaskFrom(app.spec));
  }

  /** Why a new version was made, for the history: the first fields that changed. */
  static String updateCause(AppSpec before, AppSpec after) {
    List<String> paths =
        SpecDiff.diff(tree(before.with(0, 1)), tree(after.with(0, 1))).stream()
            .map(FieldChange::path)
            .toList();
    return "updated: "
        + String.join(", ", paths.subList(0, Math.min(CAUSE_FIELDS, paths.size())))
        + (paths.size() > CAUSE_FIELDS ? " (+" + (paths.size() - CAUSE_FIELDS) + " more)" : "");
  }

  /** What a new version of {@code app} records: the change told to the user, the history after. */
  record NewVersion(String change, DeploymentHistory<AppSpec> history) {}

  /** The app moves to a new version with {@code spec} ({@code rollbackOf}: a rollback to it). */
  static NewVersion newVersion(
      App app, AppSpec spec, String by, Revision<AppSpec> rollbackOf, Instant now) {
    long version = app.version + 1;
    String cause;
    String change;
    if (app.removing) {
      cause = "created";
      change = "created";
    } else if (rollbackOf != null) {
      cause = "rollback to v" + rollbackOf.version();
      change = "rolled back to v" + rollbackOf.version() + "'s task as version " + version;
    } else {
      cause = updateCause(app.spec, spec);
      change = "updated to version " + version;
    }
    return new NewVersion(
        change,
        app.history.deployed(
            version, spec, now, cause, by, rollbackOf != null, spec.revisionHistoryLimit()));
  }

  /**
   * The revision a rollback of {@code app} restores.
   *
   * @throws NotFound if {@code toVersion} is not kept
   * @throws ValidationException if there is no earlier version
   */
  static Revision<AppSpec> rollbackTarget(App app, Long toVersion) {
    if (toVersion != null && app.history.get(toVersion).isEmpty()) {
      throw new NotFound(
          "app '"
              + app.spec.id()
              + "' has no v"
              + toVersion
              + " in its history (kept: "
              + app.history.revisions().stream().map(r -> "v" + r.version()).toList()
              + ")");
    }
    try {
      return app.history.rollbackTarget(toVersion);
    } catch (IllegalArgumentException e) {
      throw new ValidationException("toVersion", e.getMessage());
    }
  }

  /**
   * A loaded app's history: the stored one, with the app's version added when it is missing (stored
   * before histories were kept, or the app's write landed and the history's did not).
   */
  static DeploymentHistory<AppSpec> loadedHistory(
      App app, Optional<DeploymentHistory<AppSpec>> stored) {
    DeploymentHistory<AppSpec> h = stored.orElse(DeploymentHistory.empty());
    if (h.current().map(r -> r.version() >= app.version).orElse(false)) {
      return h;
    }
    return h.deployed(
        app.version,
        app.spec,
        app.updatedAt,
        "applied (not recorded in the history)",
        null,
        false,
        app.spec.revisionHistoryLimit());
  }

  /**
   * Whether the app's current version is fully deployed at {@code now}: as many of its instances as
   * wanted have run (healthy, with a health check) for the upgrade's {@code minHealthyMillis}, and
   * no outdated instance is left.
   */
  static boolean complete(App app, Iterable<TrackedTask> instances, Instant now) {
    Instant startedBy = now.minusMillis(app.spec.upgrade().minHealthyMillis());
    int ready = 0;
    for (TrackedTask inst : instances) {
      if (inst.phase().isLive() && (inst.number() != app.version || inst.replace())) {
        return false;
      }
      if (inst.number() == app.version
          && inst.isHealthy()
          && inst.runningSince() != null
          && !inst.runningSince().isAfter(startedBy)) {
        ready++;
      }
    }
    return ready >= app.desired();
  }

  /** How an instance of the current version ended, for a failed deployment's reason. */
  static String failure(InstanceEnd end) {
    return end.state()
        + (end.reason() == null ? "" : " " + end.reason())
        + (end.exitCode() == null ? "" : " (exit " + end.exitCode() + ")")
        + (end.message() == null || end.message().isBlank() ? "" : ": " + end.message());
  }
}
