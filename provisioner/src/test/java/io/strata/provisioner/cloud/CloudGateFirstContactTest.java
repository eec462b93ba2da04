package io.strata.provisioner.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.api.Backoff;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** An unreachable cloud fails its first call at once; a cloud that answered gets retries. */
class CloudGateFirstContactTest {
  private long sleptNanos;

  private CloudGate gate() {
    CloudGate.Ticker ticker =
        new CloudGate.Ticker() {
          @Override
          public long nanoTime() {
            return sleptNanos;
          }

          @Override
          public void sleepNanos(long nanos) {
            sleptNanos += nanos;
          }
        };
    return new CloudGate(
        4,
        CloudGate.RateLimit.UNLIMITED,
        new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), 8),
        ticker,
        new SplittableRandom(7));
  }

  @Test
  void aConnectionFailureBeforeAnyAnswerIsNotRetried() {
    CloudGate gate = gate();
    AtomicInteger calls = new AtomicInteger();
    assertThatThrownBy(
            () ->
                gate.read(
                    "list VM sizes",
                    () -> {
                      calls.incrementAndGet();
                      throw new CloudException(0, "cannot reach https://127.0.0.1:1/");
                    }))
        .isInstanceOf(CloudException.class)
        .hasMessageContaining("https://127.0.0.1:1/");
    assertThat(calls).hasValue(1);
    assertThat(sleptNanos).isZero();
    assertThat(gate.answered()).isFalse();
  }

  @Test
  void onceTheCloudAnsweredConnectionFailuresAreRetried() {
    CloudGate gate = gate();
    assertThatThrownBy(
            () ->
                gate.read(
                    "get",
                    () -> {
                      throw new CloudException(404, "not found");
                    }))
        .isInstanceOf(CloudException.class);
    assertThat(gate.answered()).isTrue();
    AtomicInteger calls = new AtomicInteger();
    String result =
        gate.read(
            "list",
            () -> {
              if (calls.incrementAndGet() < 3) {
                throw new CloudException(0, "connection reset");
              }
              return "ok";
            });
    assertThat(result).isEqualTo("ok");
    assertThat(calls).hasValue(3);
  }
}
