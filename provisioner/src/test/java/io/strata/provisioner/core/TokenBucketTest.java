package io.strata.provisioner.core;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class TokenBucketTest {
  private static final long S = 1_000_000_000L;

  @Test
  void aBurstThenTheRefillRate() {
    TokenBucket b = new TokenBucket(3, 2, 0);
    assertThat(b.tryTake(0)).isZero();
    assertThat(b.tryTake(0)).isZero();
    assertThat(b.tryTake(0)).isZero();
    assertThat(b.tryTake(0)).isEqualTo(S / 2);
    assertThat(b.tryTake(S / 2)).isZero();
  }

  @Test
  void retryAfterClosesTheBucketForEveryone() {
    TokenBucket b = new TokenBucket(10, 10, 0);
    b.closeUntil(3 * S, 0);
    assertThat(b.tryTake(S)).isEqualTo(2 * S);
    // Nothing accrues while closed; the refill restarts when it opens.
    assertThat(b.tryTake(3 * S)).isEqualTo(S / 10);
    assertThat(b.tryTake(3 * S + S / 10)).isZero();
  }

  /** Over any span, no more than burst + rate × span tokens are handed out. */
  @Property
  void neverHandsOutMoreThanTheLimit(
      @ForAll @IntRange(min = 1, max = 50) int burst,
      @ForAll @IntRange(min = 1, max = 20) int rate,
      @ForAll @IntRange(min = 1, max = 500) int steps) {
    TokenBucket b = new TokenBucket(burst, rate, 0);
    long now = 0;
    int taken = 0;
    for (int i = 0; i < steps; i++) {
      now += S / 37;
      while (b.tryTake(now) == 0) {
        taken++;
      }
    }
    assertThat((double) taken).isLessThanOrEqualTo(burst + rate * (now / (double) S) + 1e-9);
  }
}
