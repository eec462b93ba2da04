package io.strata.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** The shapes each module relies on, and the laws of every backoff. */
class BackoffTest {
  /** The agent's status updates: 1 s doubling to 10 min. */
  static final Backoff STATUS = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(10));

  @Test
  void startsAtItsInitialDelayDoublesAndStopsAtItsCap() {
    assertThat(STATUS.delay(1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(STATUS.delay(2)).isEqualTo(Duration.ofSeconds(2));
    assertThat(STATUS.delay(6)).isEqualTo(Duration.ofSeconds(32));
    assertThat(STATUS.delay(10)).isEqualTo(Duration.ofSeconds(512));
    assertThat(STATUS.delay(11)).isEqualTo(Duration.ofMinutes(10));
    assertThat(STATUS.delay(10_000)).isEqualTo(Duration.ofMinutes(10));
  }

  @Test
  void noFailureNoWait() {
    assertThat(STATUS.delay(0)).isEqualTo(Duration.ZERO);
    assertThat(STATUS.delay(-3)).isEqualTo(Duration.ZERO);
  }

  @Test
  void growsByItsFactor() {
    Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1), 1.5, Backoff.UNBOUNDED);
    assertThat(b.delay(1)).isEqualTo(Duration.ofMillis(1000));
    assertThat(b.delay(2)).isEqualTo(Duration.ofMillis(1500));
    assertThat(b.delay(3)).isEqualTo(Duration.ofMillis(2250));
    Backoff none = new Backoff(Duration.ZERO, Duration.ZERO, 2.0, Backoff.UNBOUNDED);
    assertThat(none.delay(5)).isEqualTo(Duration.ZERO);
  }

  /** The provisioner's cloud calls: full jitter, capped, never below Retry-After, bounded. */
  @Test
  void jitterStaysUnderTheCeilingHonoursRetryAfterAndGivesUp() {
    Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2), 5);
    SplittableRandom random = new SplittableRandom(7);
    for (int retry = 1; retry < 12; retry++) {
      Duration d = b.delay(retry, null, random);
      assertThat(d).isBetween(Duration.ZERO, b.delay(retry));
      assertThat(d).isLessThanOrEqualTo(Duration.ofSeconds(2));
    }
    assertThat(b.delay(1, Duration.ofSeconds(7), random)).isEqualTo(Duration.ofSeconds(7));
    assertThat(b.exhausted(5)).isTrue();
    assertThat(b.exhausted(4)).isFalse();
    assertThat(STATUS.exhausted(1_000_000)).isFalse();
  }

  @Test
  void aShapeThatCannotBeIsRefusedInWords() {
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .hasMessageContaining("initial <= cap");
    assertThatThrownBy(
            () -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(2), 0.5, Backoff.UNBOUNDED))
        .hasMessageContaining("factor");
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(2), 0))
        .hasMessageContaining("maxAttempts");
  }

  @Property
  void neverShrinksAndNeverPassesItsCap(
      @ForAll @IntRange(min = 0, max = 200) int retry,
      @ForAll @LongRange(min = 0, max = 86_400_000) long initialMillis,
      @ForAll @LongRange(min = 0, max = 86_400_000) long extraMillis,
      @ForAll @DoubleRange(min = 1.0, max = 100.0) double factor) {
    Backoff b =
        new Backoff(
            Duration.ofMillis(initialMillis),
            Duration.ofMillis(initialMillis + extraMillis),
            factor,
            Backoff.UNBOUNDED);
    assertThat(b.delay(retry)).isLessThanOrEqualTo(b.cap());
    assertThat(b.delay(retry + 1)).isGreaterThanOrEqualTo(b.delay(retry));
  }
}
