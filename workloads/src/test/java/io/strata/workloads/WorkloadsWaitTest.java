package io.strata.workloads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.workloads.framework.Unavailable;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Operations wait for their framework's loop as long as it makes progress, not a fixed time. */
class WorkloadsWaitTest {
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void stop() {
    timer.shutdownNow();
  }

  @Test
  void waitsPastTheStallTimeWhileTheLoopProgresses() {
    AtomicLong progress = new AtomicLong();
    timer.scheduleAtFixedRate(progress::incrementAndGet, 20, 20, TimeUnit.MILLISECONDS);
    CompletableFuture<String> answer = new CompletableFuture<>();
    timer.schedule(() -> answer.complete("done"), 800, TimeUnit.MILLISECONDS);

    assertThat(Workloads.waitWhileProgressing(progress::get, answer, Duration.ofMillis(200)))
        .isEqualTo("done");
  }

  @Test
  void aLoopThatFinishesNothingIsUnavailableAfterTheStallTime() {
    CompletableFuture<String> never = new CompletableFuture<>();
    long start = System.nanoTime();

    assertThatThrownBy(() -> Workloads.waitWhileProgressing(() -> 7, never, Duration.ofMillis(300)))
        .isInstanceOf(Unavailable.class)
        .hasMessageContaining("no progress");
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(300));
  }

  @Test
  void failuresOfTheWorkReachTheCaller() {
    CompletableFuture<String> failed =
        CompletableFuture.failedFuture(new IllegalArgumentException("bad"));

    assertThatThrownBy(() -> Workloads.waitWhileProgressing(() -> 0, failed, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("bad");
  }
}
