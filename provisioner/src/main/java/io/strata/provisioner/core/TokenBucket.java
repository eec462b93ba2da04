package io.strata.provisioner.core;

/**
 * A token bucket on a caller-supplied time line (nanoseconds), like a cloud's write limit: up to
 * {@code capacity} requests at once, then {@code refillPerSecond}. A {@code Retry-After} from the
 * cloud empties the bucket and holds it closed until then, so every worker waits, not only the one
 * that was told. Not thread-safe: callers synchronize.
 */
public final class TokenBucket {
  private static final long NANOS_PER_SECOND = 1_000_000_000L;
  private final double capacity;
  private final double refillPerNano;
  private double tokens;
  private long updatedAt;
  private long closedUntil;

  public TokenBucket(int capacity, double refillPerSecond, long now) {
    if (capacity < 1 || refillPerSecond <= 0) {
      throw new IllegalArgumentException("capacity >= 1 and refillPerSecond > 0 required");
    }
    this.capacity = capacity;
    this.refillPerNano = refillPerSecond / NANOS_PER_SECOND;
    this.tokens = capacity;
    this.updatedAt = now;
    this.closedUntil = now;
  }

  /**
   * Takes a token if one is there at {@code now}, returning 0; otherwise returns how many
   * nanoseconds to wait before asking again (nothing is taken).
   */
  public long tryTake(long now) {
    refill(now);
    if (now < closedUntil) {
      return closedUntil - now;
    }
    if (tokens >= 1) {
      tokens -= 1;
      return 0;
    }
    return Math.max(1, (long) Math.ceil((1 - tokens) / refillPerNano));
  }

  /** The cloud said "not before {@code until}": nobody gets a token before then. */
  public void closeUntil(long until, long now) {
    refill(now);
    closedUntil = Math.max(closedUntil, until);
    tokens = 0;
  }

  private void refill(long now) {
    if (now > updatedAt) {
      long from = Math.max(updatedAt, Math.min(now, closedUntil));
      tokens = Math.min(capacity, tokens + (now - from) * refillPerNano);
      updatedAt = now;
    }
  }
}
