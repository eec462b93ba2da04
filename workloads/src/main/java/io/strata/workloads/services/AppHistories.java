package io.strata.workloads.services;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.strata.api.json.Codec;
import io.strata.workloads.core.DeploymentHistory;
import io.strata.workloads.core.Revision;
import io.strata.workloads.framework.SchedulerLink;
import io.strata.workloads.spec.AppSpec;
import java.util.List;
import java.util.Optional;

/**
 * Apps' version histories in the allocator's framework store, one key per app ({@code
 * history.<id>}), beside the app's own key: durable as the specs are, read back after a restart.
 */
final class AppHistories {
  static final String KEY_PREFIX = "history.";

  /** What is stored: the kept revisions, oldest first. */
  record Stored(List<Revision<AppSpec>> revisions) {}

  private static final TypeReference<Stored> TYPE = new TypeReference<>() {};

  static void put(SchedulerLink link, String appId, DeploymentHistory<AppSpec> history) {
    JsonNode json = Codec.JSON.mapper().valueToTree(new Stored(history.revisions()));
    link.put(KEY_PREFIX + appId, json);
  }

  static Optional<DeploymentHistory<AppSpec>> get(SchedulerLink link, String appId) {
    return link.get(KEY_PREFIX + appId)
        .map(json -> Codec.JSON.mapper().convertValue(json, TYPE))
        .map(s -> DeploymentHistory.of(s.revisions()));
  }

  static void delete(SchedulerLink link, String appId) {
    link.delete(KEY_PREFIX + appId);
  }

  private AppHistories() {}
}
