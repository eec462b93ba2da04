package io.strata.allocator.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.allocator.state.EmbeddedJournal;
import io.strata.allocator.state.StateEvent;
import io.strata.allocator.state.StateSnapshot;
import io.strata.allocator.state.StateStore;
import io.strata.allocator.state.StateStoreException;
import io.strata.api.client.ApiException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When the state store fails, the allocator acknowledges nothing more and says it is unhealthy. */
class StoreFailureTest {
  @TempDir Path dir;

  /** The embedded journal until told to fail, like a disk that went away. */
  static final class FailingStore implements StateStore {
    final EmbeddedJournal journal;
    volatile boolean broken;

    FailingStore(Path dir) {
      this.journal = new EmbeddedJournal(dir, 100);
    }

    @Override
    public StateSnapshot recover() {
      return journal.recover();
    }

    @Override
    public CompletableFuture<Void> append(List<StateEvent> events) {
      if (broken) {
        return CompletableFuture.failedFuture(new StateStoreException("disk gone"));
      }
      return journal.append(events);
    }

    @Override
    public void close() {
      journal.close();
    }
  }

  @Test
  void aFailedStoreStopsAcknowledgements() {
    TestAllocator t = new TestAllocator(dir, "");
    FailingStore store = new FailingStore(dir.resolve("journal"));
    try (AllocatorServer server = AllocatorServer.start(t.config(), t.clock, store)) {
      t.server = server;
      try (FakeAgent ok = t.agent("node-1", "cpus:1;mem:128").register()) {
        store.broken = true;
        FakeAgent next = t.agent("node-2", "cpus:1;mem:128");
        assertThatThrownBy(next::register)
            .isInstanceOfSatisfying(
                ApiException.class,
                e -> {
                  assertThat(e.status()).isEqualTo(503);
                  assertThat(e.problem().title()).isEqualTo("State store unavailable");
                });
        // Nothing more is acknowledged, even once the store would work again.
        store.broken = false;
        assertThatThrownBy(() -> t.agent("node-3", "cpus:1;mem:128").register())
            .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(503));
        assertThat(server.healthy()).isFalse();
        assertThatThrownBy(() -> t.operator().health())
            .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(503));
      }
      t.server = null;
    }
  }
}
