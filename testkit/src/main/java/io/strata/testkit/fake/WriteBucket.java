package io.strata.testkit.fake;

/**
 * The write rate limit a fake cloud enforces on its side, as clouds do (ARM's bucket of 200 writes
 * refilled at 10/s, for example): a token bucket that answers how long the caller must wait.
 * Thread-safe; time is passed in (nanoseconds), so it is deterministic in tests.
 */
public final class WriteBucket {
  private final double burst;
  private final double perNano;
  private double tokens;
  private long at;

  public WriteBucket(int burst, double perSecond, long nowNanos) {
    if (burst < 1 || !(perSecond > 0)) {
      throw new IllegalArgumentException("a bucket needs burst >= 1 and a refill rate > 0");
    }
    this.burst = burst;
    this.perNano = perSecond / 1e9;
    this.tokens = burst;
    this.at = nowNanos;
  }

  /** Takes a token: 0 if there was one, else the nanoseconds until there will be one. */
  public synchronized long take(long nowNanos) {
    tokens = Math.min(burst, tokens + (nowNanos - at) * perNano);
    at = nowNanos;
    if (tokens >= 1) {
      tokens -= 1;
      return 0;
    }
    return (long) Math.ceil((1 - tokens) / perNano);
  }
}
