package io.strata.workloads.services;

import io.strata.api.TaskId;
import io.strata.workloads.core.DeploymentHistory;
import io.strata.workloads.spec.AppSpec;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

/** An app and its instances, as the services framework tracks it (event-loop thread only). */
final class App {
  static final int RECENT_TERMINATIONS = 10;

  AppSpec spec;
  long version;
  final Instant createdAt;
  Instant updatedAt;
  boolean removing;
  final Map<TaskId, Instance> instances = new LinkedHashMap<>();
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

  /** What the framework keeps in the allocator's store for an app. */
  record StoredApp(
      AppSpec spec, long version, Instant createdAt, Instant updatedAt, boolean removing) {}
}
