package io.strata.api.operator;

import io.strata.api.json.Checks;

/**
 * {@code POST /v1/agents/{id}/drain}: stop offering the agent and notify its frameworks. Tasks
 * still running after {@code gracePeriodMillis} are killed (never, if null). With {@code markGone},
 * the agent is removed once drained (decommissioning).
 */
public record DrainRequest(Long gracePeriodMillis, Boolean markGone) {
  public DrainRequest {
    if (gracePeriodMillis != null) {
      new Checks().range("gracePeriodMillis", gracePeriodMillis, 0, 30L * 24 * 3600 * 1000).done();
    }
    markGone = markGone != null && markGone;
  }
}
