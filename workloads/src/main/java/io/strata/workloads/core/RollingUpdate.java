package io.strata.workloads.core;

import io.strata.api.json.Checks;

/**
 * How an app moves to a new version, as Kubernetes' rolling update: at most {@code maxSurge}
 * instances above the desired count, at most {@code maxUnavailable} below it counted in healthy
 * instances. A replaced instance is killed only when enough new ones are healthy.
 */
public record RollingUpdate(Integer maxSurge, Integer maxUnavailable) {
  public static final RollingUpdate DEFAULT = new RollingUpdate(null, null);

  public RollingUpdate {
    maxSurge = maxSurge == null ? 1 : maxSurge;
    maxUnavailable = maxUnavailable == null ? 0 : maxUnavailable;
    new Checks()
        .range("maxSurge", maxSurge, 0, 10_000)
        .range("maxUnavailable", maxUnavailable, 0, 10_000)
        .require(
            maxSurge > 0 || maxUnavailable > 0,
            "maxSurge",
            "maxSurge and maxUnavailable cannot both be 0 (the update could never progress)")
        .done();
  }
}
