package io.strata.allocator.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.strata.api.AgentId;
import io.strata.api.FrameworkId;
import io.strata.api.TaskId;
import io.strata.api.TaskState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The promises of {@link StateStore}, stated as tests every implementation passes: extend this
 * class and say how to open a store over one storage and how to damage that storage as a crash or a
 * fault would. Each test gets fresh, empty storage; every {@link #open} within one test opens the
 * same storage again.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class StateStoreContract {

  /** A new, not yet recovered store over this test's storage. */
  protected abstract StateStore open(int snapshotEvery);

  /**
   * Leaves in the storage what a crash in the middle of appending one more batch leaves behind. The
   * store that wrote the storage is closed.
   */
  protected abstract void tearNextWrite() throws Exception;

  /**
   * Damages the first of several records (written with a large {@code snapshotEvery}, so no
   * snapshot covers it) in a way no crash can: recovery must refuse to guess. The store is closed.
   */
  protected abstract void damageFirstRecord() throws Exception;

  private StateStore recovered(int snapshotEvery) {
    StateStore s = open(snapshotEvery);
    s.recover();
    return s;
  }

  private static List<StateEvent> upsert(String agent) {
    return List.of(new StateEvent.AgentUpserted(StateEvents.agent(agent)));
  }

  private static List<String> agentIds(StateSnapshot s) {
    return s.agents().stream().map(a -> a.id().value()).toList();
  }

  private StateSnapshot reopen(int snapshotEvery) {
    try (StateStore s = open(snapshotEvery)) {
      return s.recover();
    }
  }

  @Test
  void newStorageRecoversTheEmptyState() {
    assertThat(reopen(10)).isEqualTo(StateSnapshot.EMPTY);
  }

  @Test
  void anAppendIsDurableOnceItsFutureCompletes() {
    try (StateStore s = recovered(1000)) {
      s.append(upsert("a1")).join();
      s.append(upsert("a2")).join();
    }
    assertThat(agentIds(reopen(1000))).containsExactly("a1", "a2");
  }

  @Test
  void futuresCompleteInAppendOrderEachCallbackBeforeTheNextCompletes() {
    List<Integer> order = Collections.synchronizedList(new ArrayList<>());
    List<CompletableFuture<Void>> raw = Collections.synchronizedList(new ArrayList<>());
    List<Integer> overtaken = Collections.synchronizedList(new ArrayList<>());
    List<CompletableFuture<Void>> callbacks = new ArrayList<>();
    try (StateStore s = recovered(7)) {
      for (int i = 0; i < 300; i++) {
        int n = i;
        CompletableFuture<Void> f = s.append(upsert("a" + i));
        raw.add(f);
        // Attached at once: it runs either here (already durable) or on the store's thread
        // while it completes f, and then the next future must not be complete yet.
        callbacks.add(
            f.thenRun(
                () -> {
                  order.add(n);
                  synchronized (raw) {
                    if (raw.size() > n + 1 && raw.get(n + 1).isDone()) {
                      overtaken.add(n + 1);
                    }
                  }
                }));
      }
      callbacks.forEach(CompletableFuture::join);
    }
    assertThat(order).hasSize(300).isSorted();
    assertThat(overtaken).as("futures completed before an earlier callback ran").isEmpty();
    assertThat(reopen(7).agents()).hasSize(300);
  }

  @Test
  void appendsFromManyThreadsAreAllDurableInEachThreadsOrder() throws Exception {
    int threads = 6;
    int each = 40;
    try (StateStore s = recovered(25);
        ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int th = t;
        done.add(
            pool.submit(
                () -> {
                  List<CompletableFuture<Void>> mine = new ArrayList<>();
                  for (int i = 0; i < each; i++) {
                    // Each thread moves its own agent through states; the last one must win.
                    mine.add(
                        s.append(
                            List.of(
                                new StateEvent.AgentUpserted(
                                    StateEvents.agent("t" + th)
                                        .withState(
                                            io.strata.api.operator.AgentState.ACTIVE,
                                            StateEvents.T0.plusSeconds(i),
                                            false)))));
                  }
                  mine.forEach(CompletableFuture::join);
                }));
      }
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    }
    StateSnapshot back = reopen(25);
    assertThat(back.agents()).hasSize(threads);
    assertThat(back.agents())
        .allSatisfy(
            a -> assertThat(a.drainDeadline()).isEqualTo(StateEvents.T0.plusSeconds(each - 1)));
  }

  @Test
  void recoveryEqualsTheFoldOfEveryBatchAcrossSnapshotsAndReopens() {
    DurableState expected = new DurableState();
    List<List<StateEvent>> batches = scriptedBatches(240);
    int snapshotEvery = 4;
    for (int part = 0; part < 3; part++) {
      try (StateStore s = open(snapshotEvery)) {
        StateSnapshot start = s.recover();
        assertThat(start).isEqualTo(expected.snapshot());
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (List<StateEvent> b : batches.subList(part * 80, part * 80 + 80)) {
          b.forEach(expected::apply);
          futures.add(s.append(b));
        }
        futures.forEach(CompletableFuture::join);
      }
    }
    StateSnapshot back = reopen(snapshotEvery);
    assertThat(back.tasks()).isNotEmpty();
    assertThat(back.store()).isNotEmpty();
    assertThat(back).isEqualTo(expected.snapshot());
  }

  @Test
  void anEmptyBatchIsABarrierAndChangesNothing() {
    try (StateStore s = recovered(1000)) {
      CompletableFuture<Void> first = s.append(upsert("a1"));
      CompletableFuture<Void> barrier = s.append(List.of());
      barrier.join();
      assertThat(first).isCompleted();
    }
    assertThat(agentIds(reopen(1000))).containsExactly("a1");
  }

  @Test
  void aBigBatchIsRecoveredWhole() {
    List<StateEvent> big = new ArrayList<>();
    big.add(new StateEvent.FrameworkUpserted(StateEvents.framework("f1")));
    String blob = "x".repeat(900);
    for (int i = 0; i < 3000; i++) {
      big.add(
          new StateEvent.StorePut(
              FrameworkId.of("f1"),
              "k" + i,
              JsonNodeFactory.instance.objectNode().put("i", i).put("blob", blob)));
    }
    try (StateStore s = recovered(1000)) {
      s.append(upsert("a0")).join();
      s.append(big).join();
      s.append(upsert("a1")).join();
    }
    StateSnapshot back = reopen(1000);
    assertThat(back.store()).hasSize(3000);
    assertThat(agentIds(back)).containsExactly("a0", "a1");
  }

  @Test
  void aTornLastWriteIsDroppedAndAppendsGoOn() throws Exception {
    try (StateStore s = recovered(1000)) {
      s.append(upsert("a1")).join();
      s.append(upsert("a2")).join();
    }
    tearNextWrite();
    try (StateStore s = recovered(1000)) {
      s.append(upsert("a3")).join();
    }
    assertThat(agentIds(reopen(1000))).containsExactly("a1", "a2", "a3");
  }

  @Test
  void damageThatNoCrashLeavesStopsRecovery() throws Exception {
    try (StateStore s = recovered(1000)) {
      s.append(upsert("a1")).join();
      s.append(upsert("a2")).join();
      s.append(upsert("a3")).join();
    }
    damageFirstRecord();
    try (StateStore s = open(1000)) {
      assertThatThrownBy(s::recover).isInstanceOf(StateStoreException.class);
    }
  }

  @Test
  void recoverIsCalledOnce() {
    try (StateStore s = recovered(10)) {
      assertThatThrownBy(s::recover).isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void appendsBeforeRecoverAndAfterCloseFailWithoutThrowing() {
    StateStore s = open(10);
    assertFailsWithStoreException(s.append(upsert("early")));
    s.recover();
    s.append(upsert("a1")).join();
    s.close();
    s.close();
    assertFailsWithStoreException(s.append(upsert("late")));
    assertThat(agentIds(reopen(10))).containsExactly("a1");
  }

  @Test
  void aSecondStoreCannotTakeOverWhileTheFirstIsOpen() throws Exception {
    try (StateStore first = recovered(10);
        ExecutorService pool = Executors.newSingleThreadExecutor()) {
      StateStore second = open(10);
      Future<StateSnapshot> takeover = pool.submit(second::recover);
      boolean refused;
      try {
        takeover.get(1500, TimeUnit.MILLISECONDS);
        throw new AssertionError("a second store recovered while the first was open");
      } catch (java.util.concurrent.ExecutionException e) {
        assertThat(e.getCause()).isInstanceOf(StateStoreException.class);
        refused = true;
      } catch (TimeoutException e) {
        refused = false; // it waits, as a standby
      }
      first.append(upsert("a1")).join();
      second.close();
      if (!refused) {
        assertThatThrownBy(() -> takeover.get(30, TimeUnit.SECONDS))
            .hasCauseInstanceOf(StateStoreException.class);
      }
    }
    assertThat(agentIds(reopen(10))).containsExactly("a1");
  }

  private static void assertFailsWithStoreException(CompletableFuture<Void> f) {
    assertThat(f).failsWithin(Duration.ofSeconds(30));
    assertThatThrownBy(f::join)
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(StateStoreException.class);
  }

  /** Batches of 0 to 4 events touching every event type, with ids that collide on purpose. */
  public static List<List<StateEvent>> scriptedBatches(int count) {
    List<List<StateEvent>> batches = new ArrayList<>();
    UUID u = UUID.fromString("00000000-0000-0000-0000-000000000007");
    for (int i = 0; i < count; i++) {
      String a = "a" + (i % 7);
      String f = "f" + (i % 3);
      String t = "t" + (i % 11);
      List<StateEvent> b = new ArrayList<>();
      switch (i % 5) {
        case 0 -> {
          b.add(new StateEvent.AgentUpserted(StateEvents.agent(a)));
          b.add(new StateEvent.FrameworkUpserted(StateEvents.framework(f)));
        }
        case 1 -> {
          b.add(new StateEvent.TaskAdded(StateEvents.task(f, t, a)));
          b.add(
              new StateEvent.StorePut(
                  FrameworkId.of(f), "k" + (i % 4), JsonNodeFactory.instance.numberNode(i)));
        }
        case 2 ->
            b.add(
                new StateEvent.TaskStatusChanged(
                    StateEvents.status(
                        f, t, a, i % 3 == 0 ? TaskState.FINISHED : TaskState.RUNNING, u)));
        case 3 -> {
          b.add(new StateEvent.TaskAcknowledged(FrameworkId.of(f), TaskId.of(t), u));
          if (i % 13 == 0) {
            b.add(new StateEvent.AgentRemoved(AgentId.of(a), StateEvents.T0.plusSeconds(i)));
          }
          if (i % 17 == 0) {
            b.add(new StateEvent.FrameworkRemoved(FrameworkId.of(f), StateEvents.T0));
          }
          if (i % 19 == 0) {
            b.add(new StateEvent.TaskRemoved(FrameworkId.of(f), TaskId.of(t)));
          }
        }
        default -> {
          if (i % 4 == 0) {
            b.add(new StateEvent.IdsForgotten(List.of(AgentId.of(a)), List.of(FrameworkId.of(f))));
          } else if (i % 3 == 0) {
            b.add(new StateEvent.StoreDeleted(FrameworkId.of(f), "k" + (i % 4)));
          }
        }
      }
      batches.add(b);
    }
    return batches;
  }
}
