package io.strata.api;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff, the one every module uses (the agents' status updates and reconnection, the
 * built-in frameworks' restarts and retries, the provisioner's cloud calls): retry {@code n} (1 =
 * the first retry) waits {@code initial × factor^(n-1)}, never more than {@code cap}. With jitter,
 * a random time in [0, that] (AWS' "full jitter"), but never less than what the other side asked
 * for (a {@code Retry-After}). {@code maxAttempts} bounds the attempts of a caller that gives up
 * ({@link #exhausted}); {@link #UNBOUNDED} for one that never does.
 *
 * <p>Pure: the randomness is injected, so tests replay it.
 */
public record Backoff(Duration initial, Duration cap, double factor, int maxAttempts) {
  public static final int UNBOUNDED = Integer.MAX_VALUE;

  public Backoff {
    if (initial.isNegative() || cap.compareTo(initial) < 0) {
      throw new IllegalArgumentException(
          "backoff needs 0 <= initial <= cap (was " + initial + ", " + cap + ")");
    }
    if (Double.isNaN(factor) || factor < 1.0 || factor > 100.0) {
      throw new IllegalArgumentException(
          "backoff factor must be between 1 and 100 (was " + factor + ")");
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException(
          "backoff needs maxAttempts >= 1 (was " + maxAttempts + ")");
    }
  }

  /** Doubling from {@code initial} to {@code cap}, never giving up. */
  public Backoff(Duration initial, Duration cap) {
    this(initial, cap, 2.0, UNBOUNDED);
  }

  /** Doubling from {@code initial} to {@code cap}, giving up after {@code maxAttempts}. */
  public Backoff(Duration initial, Duration cap, int maxAttempts) {
    this(initial, cap, 2.0, maxAttempts);
  }

  /** The wait before retry {@code retry} (1 = the first retry); zero for 0 or less. */
  public Duration delay(int retry) {
    if (retry <= 0) {
      return Duration.ZERO;
    }
    double capNanos = cap.toNanos();
    double delay = initial.toNanos();
    for (int i = 1; i < retry && delay < capNanos; i++) {
      delay *= factor;
    }
    return Duration.ofNanos((long) Math.min(delay, capNanos));
  }

  /**
   * The wait before retry {@code retry} with full jitter: uniform in [0, {@link #delay(int)}], but
   * at least {@code retryAfter}.
   *
   * @param retryAfter what the other side asked for, or null
   */
  public Duration delay(int retry, Duration retryAfter, RandomGenerator random) {
    long ceiling = delay(retry).toNanos();
    long jittered = ceiling == 0 ? 0 : random.nextLong(ceiling + 1);
    long floor = retryAfter == null ? 0 : retryAfter.toNanos();
    return Duration.ofNanos(Math.max(jittered, floor));
  }

  /** Whether {@code attempt} attempts are all a caller may make. */
  public boolean exhausted(int attempt) {
    return attempt >= maxAttempts;
  }
}
