package io.strata.workloads.services;

import io.strata.workloads.core.Revision;
import io.strata.workloads.spec.AppSpec;
import java.util.List;

/**
 * An app's history as {@code strata rollout history} and {@code GET /v1/apps/{id}/history} show it:
 * the kept versions, oldest first; the last is the current one ({@code version}).
 */
public record AppHistoryView(String id, long version, List<Revision<AppSpec>> revisions) {}
