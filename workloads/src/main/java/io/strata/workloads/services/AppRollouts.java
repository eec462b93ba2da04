package io.strata.workloads.services;

import io.strata.workloads.core.FieldChange;
import io.strata.workloads.core.Revision;
import io.strata.workloads.core.RolloutPlan;
import io.strata.workloads.core.SpecDiff;
import io.strata.workloads.spec.AppSpec;
import io.strata.workloads.spec.Specs;
import java.util.List;
import java.util.Map;

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
      return RolloutPlan.forApp(spec.id(), null, 0, 0, tree(spec), spec.instances(), true);
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

  static String rollbackCause(Revision<AppSpec> target) {
    return "rollback to v" + target.version();
  }

  /**
   * Whether the app's current version is fully deployed: as many of its instances as wanted run
   * (healthy, with a health check), and no outdated instance is left.
   */
  static boolean complete(App app) {
    int ready = 0;
    for (Instance inst : app.instances.values()) {
      if (inst.phase.isLive() && (inst.version != app.version || inst.replace)) {
        return false;
      }
      if (inst.version == app.version && inst.isHealthy()) {
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
