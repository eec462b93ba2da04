package io.strata.workloads.core;

import io.strata.api.json.Checks;

/**
 * How an app moves to a new version, as Kubernetes' rolling update: at most {@code maxSurge}
 * instances above the desired count, at most {@code maxUnavailable} below it counted in healthy
 * instances. A replaced instance is killed only when enough new ones are healthy. The version's
 * deployment succeeds once each of its instances has been healthy for {@code minHealthyMillis} (as
 * Nomad's {@code min_healthy_time}; default 10 s), so instances that crash soon after they start
 * fail it instead.
 */
public record RollingUpdate(Integer maxSurge, Integer maxUnavailable, Long minHealthyMillis) {
  public static final RollingUpdate DEFAULT = new RollingUpdate(null, null, null);
  public static final long DEFAULT_MIN_HEALTHY_MILLIS = 10_000;

  public RollingUpdate {
    maxSurge = maxSurge == null ? 1 : maxSurge;
    maxUnavailable = maxUnavailable == null ? 0 : maxUnavailable;
    minHealthyMillis = minHealthyMillis == null ? DEFAULT_MIN_HEALTHY_MILLIS : minHealthyMillis;
    new Checks()
        .range("maxSurge", maxSurge, 0, 10_000)
        .range("maxUnavailable", maxUnavailable, 0, 10_000)
        .range("minHealthyMillis", minHealthyMillis, 0, 3_600_000)
        .require(
            maxSurge > 0 || maxUnavailable > 0,
            "maxSurge",
            "maxSurge and maxUnavailable cannot both be 0 (the update could never progress)")
        .done();
  }

  public RollingUpdate(Integer maxSurge, Integer maxUnavailable) {
    this(maxSurge, maxUnavailable, null);
  }
}
