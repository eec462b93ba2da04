package io.strata.testkit.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class FakeServerPartsTest {
  static final long SECOND = 1_000_000_000L;

  @Test
  void theBucketGivesItsBurstThenRefillsAtItsRate() {
    WriteBucket bucket = new WriteBucket(3, 10, 0);
    assertThat(bucket.take(0)).isZero();
    assertThat(bucket.take(0)).isZero();
    assertThat(bucket.take(0)).isZero();
    assertThat(bucket.take(0)).isEqualTo(SECOND / 10);
    assertThat(bucket.take(SECOND / 20)).isEqualTo(SECOND / 20);
    assertThat(bucket.take(SECOND / 10)).isZero();
    assertThat(bucket.take(100 * SECOND)).isZero(); // refills only up to the burst
    assertThat(bucket.take(100 * SECOND)).isZero();
    assertThat(bucket.take(100 * SECOND)).isZero();
    assertThat(bucket.take(100 * SECOND)).isPositive();
    assertThatThrownBy(() -> new WriteBucket(0, 1, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void queriesAreDecoded() {
    assertThat(Queries.parse(null)).isEmpty();
    assertThat(Queries.parse("api-version=2024-07-01&%24filter=a%20b&flag&=x"))
        .isEqualTo(Map.of("api-version", "2024-07-01", "$filter", "a b"));
  }
}
