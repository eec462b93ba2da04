package io.strata.provisioner.core;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with full jitter (AWS' "full jitter"): attempt n waits a random time in [0,
 * min(cap, base * 2^n)], but never less than the cloud's Retry-After. The randomness is injected,
 * so tests replay it.
 */
public record Backoff(Duration base, Duration cap, int maxAttempts) {
  public Backoff {
    if (base.isNegative() || cap.compareTo(base) < 0 || maxAttempts < 1) {
      throw new IllegalArgumentException("need 0 <= base <= cap and maxAttempts >= 1");
    }
  }

  public static Backoff defaults() {
    return new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), 8);
  }

  /**
   * How long to wait before attempt {@code attempt} (1 = the first retry).
   *
   * @param retryAfter what the cloud asked for, or null
   */
  public Duration delay(int attempt, Duration retryAfter, RandomGenerator random) {
    long ceiling = base.toNanos() << Math.min(30, Math.max(0, attempt - 1));
    ceiling = Math.min(cap.toNanos(), ceiling < 0 ? Long.MAX_VALUE : ceiling);
    long jittered = ceiling == 0 ? 0 : random.nextLong(ceiling + 1);
    long floor = retryAfter == null ? 0 : retryAfter.toNanos();
    return Duration.ofNanos(Math.max(jittered, floor));
  }

  public boolean exhausted(int attempt) {
    return attempt >= maxAttempts;
  }
}
