package io.strata.agent.core;

import java.time.Duration;

/**
 * Exponential backoff: {@code initial}, doubling each attempt, never above {@code cap}. Status
 * updates use 1 s doubling to 10 min, as the issue asks; reconnection uses the same shape.
 */
public record Backoff(Duration initial, Duration cap) {
  public static final Backoff STATUS_UPDATES =
      new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(10));

  public Backoff {
    if (initial.isNegative() || initial.isZero() || cap.compareTo(initial) < 0) {
      throw new IllegalArgumentException("backoff needs 0 < initial <= cap");
    }
  }

  /** The wait before retry number {@code attempt} (0 for the first retry). */
  public Duration delay(int attempt) {
    if (attempt >= 40) {
      return cap;
    }
    long millis = initial.toMillis() << Math.max(0, attempt);
    return millis <= 0 || millis > cap.toMillis() ? cap : Duration.ofMillis(millis);
  }
}
