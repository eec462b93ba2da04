package io.strata.allocator.state;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where the allocator keeps the state it must not lose: the embedded {@link EmbeddedJournal} by
 * default, ZooKeeper for high availability later. The allocator calls {@link #recover} once, then
 * {@link #append} for every change, and answers a client only after the change is durable.
 */
public interface StateStore extends AutoCloseable {

  /**
   * Loads the state as of the last durable append. Called once, before any append. May block on
   * I/O.
   *
   * @throws StateStoreException if the stored state cannot be read (corruption that is not a torn
   *     last write, an unreadable file); the allocator must not start then
   */
  StateSnapshot recover();

  /**
   * Appends a batch of events atomically: after a crash either all of them are recovered or none.
   * Never blocks on I/O. The returned future completes once the batch is durable (e.g. written and
   * fsynced), or exceptionally with a {@link StateStoreException}; futures complete in append
   * order, one at a time, and a callback attached to one runs before the next completes. After a
   * failure the store is fenced: every later append fails too. An empty batch completes after every
   * earlier batch is durable (a barrier).
   */
  CompletableFuture<Void> append(List<StateEvent> events);

  /** Completes pending appends, then releases files and threads. Idempotent. */
  @Override
  void close();
}
