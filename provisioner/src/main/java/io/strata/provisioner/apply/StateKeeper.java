package io.strata.provisioner.apply;

import io.strata.provisioner.core.ClusterRecord;
import io.strata.provisioner.core.StateChange;
import io.strata.provisioner.state.StateStore;

/**
 * The current state of one cluster, moved only by {@link StateChange}s. {@link #record} returns
 * only once the change is on disk. Many workers change the state at once, so writes are
 * group-committed: while one write is in flight, later changes wait for it and then go to disk
 * together in the next write. Each change is still durable before its caller moves on, with one
 * fsync for many changes.
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

  /** Applies {@code change} and returns once it (and any change made before it) is saved. */
  ClusterRecord record(StateChange change) {
    long mine;
    synchronized (lock) {
      current = current.after(change);
      mine = ++version;
    }
    persist(mine);
    return get();
  }

  /** Saves the state as it is (a destroy that left tagged resources keeps its file). */
  void save() {
    long mine;
    synchronized (lock) {
      mine = ++version;
    }
    persist(mine);
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
