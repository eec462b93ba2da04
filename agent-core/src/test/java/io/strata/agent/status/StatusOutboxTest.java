package io.strata.agent.status;

import static io.strata.testkit.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.strata.api.Backoff;
import io.strata.api.FrameworkId;
import io.strata.api.Reason;
import io.strata.api.TaskId;
import io.strata.api.TaskState;
import io.strata.api.TaskStatus;
import io.strata.api.agent.StatusAcks;
import io.strata.api.client.ApiException;
import io.strata.api.json.Problem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusOutboxTest {
  static final Backoff QUICK = new Backoff(Duration.ofMillis(20), Duration.ofMillis(100));
  @TempDir Path dir;
  final List<TaskStatus> acked = new CopyOnWriteArrayList<>();
  final StatusOutbox.Listener listener = acked::add;

  static TaskStatus status(String task, TaskState state) {
    return new TaskStatus(
        TaskId.of(task),
        FrameworkId.of("fw"),
        null,
        state,
        Reason.COMMAND_EXITED,
        null,
        TaskStatus.Source.AGENT,
        UUID.randomUUID(),
        Instant.EPOCH,
        null,
        null);
  }

  @Test
  void updatesSurviveARestartAndGoInOrderOncePerAcknowledgement() throws Exception {
    TaskStatus a1 = status("a", TaskState.RUNNING);
    TaskStatus a2 = status("a", TaskState.FINISHED);
    TaskStatus b1 = status("b", TaskState.RUNNING);
    try (StatusOutbox first = new StatusOutbox(dir, QUICK, listener)) {
      first.enqueue(a1);
      first.enqueue(b1);
      first.enqueue(a2);
    }
    assertThat(Files.list(dir).count()).isEqualTo(3);

    List<TaskStatus> sent = new CopyOnWriteArrayList<>();
    try (StatusOutbox second = new StatusOutbox(dir, QUICK, listener)) {
      assertThat(second.pending()).containsExactly(a1, b1, a2);
      second.sendThrough(
          batch -> {
            sent.addAll(batch);
            return acks(batch);
          });
      await("everything acknowledged", () -> second.pending().isEmpty());
    }
    assertThat(sent).containsExactlyInAnyOrder(a1, b1, a2);
    assertThat(sent.indexOf(a1)).isLessThan(sent.indexOf(a2));
    assertThat(acked).containsExactlyInAnyOrder(a1, b1, a2);
    assertThat(Files.list(dir).count()).isZero();
  }

  static StatusAcks acks(List<TaskStatus> batch) {
    return new StatusAcks(batch.stream().map(TaskStatus::uuid).toList());
  }

  @Test
  void aFailingBatchIsRetriedWithBackoffKeepingEachTasksOrder() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    List<List<TaskStatus>> sent = new CopyOnWriteArrayList<>();
    TaskStatus first = status("t", TaskState.RUNNING);
    TaskStatus second = status("t", TaskState.FAILED);
    try (StatusOutbox outbox = new StatusOutbox(dir, QUICK, listener)) {
      outbox.enqueue(first);
      outbox.enqueue(second);
      outbox.sendThrough(
          batch -> {
            sent.add(List.copyOf(batch));
            if (calls.incrementAndGet() <= 3) {
              throw new ApiException(Problem.of(503, "Unavailable", "busy"));
            }
            return acks(batch);
          });
      await("delivery", () -> outbox.pending().isEmpty());
    }
    assertThat(sent).hasSize(4).allSatisfy(b -> assertThat(b).containsExactly(first, second));
    assertThat(acked).containsExactly(first, second);
  }

  @Test
  void updatesPilingUpDuringARequestLeaveTogetherInTheNext() throws Exception {
    List<List<TaskStatus>> sent = new CopyOnWriteArrayList<>();
    java.util.concurrent.CountDownLatch inFlight = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    try (StatusOutbox outbox = new StatusOutbox(dir, QUICK, listener)) {
      outbox.sendThrough(
          batch -> {
            sent.add(List.copyOf(batch));
            inFlight.countDown();
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return acks(batch);
          });
      outbox.enqueue(status("t0", TaskState.RUNNING));
      inFlight.await();
      for (int i = 1; i <= 20; i++) {
        outbox.enqueue(status("t" + i, TaskState.RUNNING));
      }
      release.countDown();
      await("delivery", () -> outbox.pending().isEmpty());
    }
    assertThat(sent).hasSize(2);
    assertThat(sent.get(1)).hasSize(20);
    assertThat(acked).hasSize(21);
  }

  @Test
  void aBatchRefusedAsInvalidIsSentAgainOneByOneDroppingOnlyTheBadUpdate() throws Exception {
    TaskStatus good = status("a", TaskState.RUNNING);
    TaskStatus bad = status("b", TaskState.RUNNING);
    TaskStatus later = status("a", TaskState.FINISHED);
    List<List<TaskStatus>> sent = new CopyOnWriteArrayList<>();
    try (StatusOutbox outbox = new StatusOutbox(dir, QUICK, listener)) {
      outbox.enqueue(good);
      outbox.enqueue(bad);
      outbox.enqueue(later);
      outbox.sendThrough(
          batch -> {
            sent.add(List.copyOf(batch));
            if (batch.contains(bad)) {
              throw new ApiException(Problem.of(400, "Invalid", "updates[1].taskId: no"));
            }
            return acks(batch);
          });
      await("delivery", () -> outbox.pending().isEmpty());
    }
    assertThat(sent.get(0)).containsExactlyInAnyOrder(good, later, bad);
    assertThat(sent.subList(1, sent.size()))
        .allSatisfy(b -> assertThat(b).hasSize(1))
        .flatExtracting(b -> b)
        .containsExactlyInAnyOrder(good, later, bad);
    assertThat(acked).containsExactlyInAnyOrder(good, later, bad);
    assertThat(acked.indexOf(good)).isLessThan(acked.indexOf(later));
  }

  @Test
  void updatesTheAllocatorRefusesForGoodAreDroppedNotRetriedForever() throws Exception {
    try (StatusOutbox outbox = new StatusOutbox(dir, QUICK, listener)) {
      outbox.enqueue(status("t", TaskState.RUNNING));
      outbox.sendThrough(
          batch -> {
            throw new ApiException(Problem.of(400, "Invalid", "no"));
          });
      await("the bad update dropped", () -> outbox.pending().isEmpty());
    }
  }

  @Test
  void nothingIsSentWithoutASenderAndANudgeRetriesAtOnce() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    try (StatusOutbox outbox =
        new StatusOutbox(dir, new Backoff(Duration.ofHours(1), Duration.ofHours(1)), listener)) {
      outbox.enqueue(status("t", TaskState.RUNNING));
      Thread.sleep(100);
      assertThat(outbox.pending()).hasSize(1);
      outbox.sendThrough(
          batch -> {
            if (calls.incrementAndGet() == 1) {
              throw new ApiException("unreachable", new java.io.IOException("refused"));
            }
            return acks(batch);
          });
      await("the first attempt", () -> calls.get() == 1);
      Thread.sleep(100);
      assertThat(outbox.pending()).hasSize(1);
      outbox.nudge();
      await("delivery after the nudge", () -> outbox.pending().isEmpty());
    }
  }
}
