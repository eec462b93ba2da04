package io.strata.workloads.core;

import io.strata.api.json.Checks;
import java.time.Duration;
import java.time.temporal.ChronoUnit;

/**
 * A restart or retry backoff as a spec gives it (the wire shape: milliseconds, defaults, checks):
 * the n-th consecutive failure waits {@code initialDelayMillis × factor^(n-1)}, at most {@code
 * maxDelayMillis}, computed by api's {@link io.strata.api.Backoff}. The count resets once a task
 * has run for {@code resetAfterMillis}.
 */
public record Backoff(
    Long initialDelayMillis, Long maxDelayMillis, Double factor, Long resetAfterMillis) {
  public static final Backoff DEFAULT = new Backoff(null, null, null, null);

  public Backoff {
    initialDelayMillis = initialDelayMillis == null ? 1_000L : initialDelayMillis;
    maxDelayMillis = maxDelayMillis == null ? 60_000L : maxDelayMillis;
    factor = factor == null ? 2.0 : factor;
    resetAfterMillis = resetAfterMillis == null ? 60_000L : resetAfterMillis;
    Checks c =
        new Checks()
            .range("initialDelayMillis", initialDelayMillis, 0, 86_400_000)
            .range("maxDelayMillis", maxDelayMillis, 0, 86_400_000)
            .range("resetAfterMillis", resetAfterMillis, 0, 86_400_000);
    c.require(
        !factor.isNaN() && factor >= 1.0 && factor <= 100.0,
        "factor",
        "must be between 1 and 100 (was " + factor + ")");
    c.require(
        maxDelayMillis >= initialDelayMillis,
        "maxDelayMillis",
        "must be >= initialDelayMillis (" + initialDelayMillis + ")");
    c.done();
  }

  /**
   * The wait before the next attempt after {@code failures} consecutive failures (0: none), in
   * whole milliseconds: api's {@link io.strata.api.Backoff} of this spec.
   */
  public Duration delayAfter(int failures) {
    return new io.strata.api.Backoff(
            Duration.ofMillis(initialDelayMillis),
            Duration.ofMillis(maxDelayMillis),
            factor,
            io.strata.api.Backoff.UNBOUNDED)
        .delay(failures)
        .truncatedTo(ChronoUnit.MILLIS);
  }
}
