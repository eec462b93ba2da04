package io.strata.provisioner.apply;

import io.strata.provisioner.core.ClusterRecord;
import io.strata.provisioner.state.StateStore;
import java.util.function.UnaryOperator;

/**
 * The current state of one cluster. {@link #update} returns only once the change is on disk. Many
 * workers change the state at once, so writes are group-committed: while one write is in flight,
 * later changes wait for it and then go to disk together in the next write. Each change is still
 * durable before its caller moves on, with one fsync for many changes.
 */
final class StateKeeper {
  private final StateStore store;
  private final Object lock = new Object();
  private ClusterRecord current;
  private long version;
  private long persisted;
  private boolean writing;

  StateKeeper(StateStore store, ClusterRecord initial) {
    this.store = store;
    this.current = initial;
  }

  ClusterRecord get() {
    synchronized (lock) {
      return current;
    }
  }

  ClusterRecord update(UnaryOperator<ClusterRecord> change) {
    long mine;
    synchronized (lock) {
      current = change.apply(current);
      mine = ++version;
    }
    persist(mine);
    return get();
  }

  private void persist(long mine) {
    while (true) {
      ClusterRecord snapshot;
      long target;
      synchronized (lock) {
        while (writing && persisted < mine) {
          try {
            lock.wait();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted before the state was saved", e);
          }
        }
        if (persisted >= mine) {
          return;
        }
        writing = true;
        snapshot = current;
        target = version;
      }
      boolean saved = false;
      try {
        store.save(snapshot);
        saved = true;
      } finally {
        synchronized (lock) {
          writing = false;
          if (saved) {
            persisted = Math.max(persisted, target);
          }
          lock.notifyAll();
        }
      }
    }
  }
}
