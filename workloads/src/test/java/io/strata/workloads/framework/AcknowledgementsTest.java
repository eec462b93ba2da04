package io.strata.workloads.framework;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.api.AgentId;
import io.strata.api.FrameworkId;
import io.strata.api.TaskId;
import io.strata.api.TaskState;
import io.strata.api.TaskStatus;
import io.strata.api.client.ApiException;
import io.strata.api.json.Problem;
import io.strata.api.scheduler.Acknowledgement;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class AcknowledgementsTest {
  record Call(String client, List<Acknowledgement> batch) {}

  static TaskStatus update(int i) {
    return new TaskStatus(
        TaskId.of("t" + i),
        FrameworkId.of("fw"),
        AgentId.of("a"),
        TaskState.RUNNING,
        null,
        null,
        TaskStatus.Source.AGENT,
        UUID.randomUUID(),
        Instant.EPOCH,
        null,
        null);
  }

  static void until(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition within 20 s").isLessThan(deadline);
      Thread.sleep(5);
    }
  }

  @Test
  void acknowledgementsQueuedWhileCallsAreInFlightLeaveTogetherPerClient() throws Exception {
    List<Call> calls = new CopyOnWriteArrayList<>();
    CountDownLatch release = new CountDownLatch(1);
    try (Acknowledgements<String> acks =
        new Acknowledgements<>(
            (client, batch) -> {
              calls.add(new Call(client, List.copyOf(batch)));
              try {
                release.await(10, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              if (client.equals("old")) {
                throw new ApiException(Problem.of(409, "Conflict", "not the current stream"));
              }
            })) {
      // As many calls as may be in flight take one each and block...
      for (int i = 0; i < Acknowledgements.MAX_IN_FLIGHT; i++) {
        acks.add("old", update(i));
        int n = i + 1;
        until(() -> calls.size() == n);
      }
      // ...the rest piles up and leaves in few calls, never mixing two subscriptions.
      for (int i = 0; i < 2500; i++) {
        acks.add("new", update(100 + i));
      }
      release.countDown();
      until(
          () ->
              calls.stream()
                      .filter(c -> c.client().equals("new"))
                      .mapToInt(c -> c.batch().size())
                      .sum()
                  == 2500);
      List<Call> later = calls.subList(Acknowledgements.MAX_IN_FLIGHT, calls.size());
      assertThat(later).allMatch(c -> c.client().equals("new"));
      assertThat(later).hasSizeBetween(3, 4);
      assertThat(later).allMatch(c -> c.batch().size() <= Acknowledgements.MAX_BATCH);
    }
  }
}
