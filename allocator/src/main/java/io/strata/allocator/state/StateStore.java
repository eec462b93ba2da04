package io.strata.allocator.state;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where the allocator keeps the state it must not lose: the embedded {@link EmbeddedJournal} by
 * default, or {@code zk.ZooKeeperStore} for high availability (docs/ha.md). The allocator calls
 * {@link #recover} once, then {@link #append} for every change, and answers a client only after the
 * change is durable. Every implementation passes {@code StateStoreContract} (test sources).
 *
 * <p>The state is the fold ({@link DurableState}) of the appended batches in append order. At most
 * one store appends to a given storage (a directory, a ZooKeeper root) at a time: while one is
 * open, another store's {@link #recover} either fails (the journal's lock) or waits (a ZooKeeper
 * standby, until it leads).
 */
public interface StateStore extends AutoCloseable {

  /**
   * Loads the state as of the last durable append: the fold of every batch whose future completed,
   * possibly followed by batches whose futures failed or never completed (written, but the outcome
   * was unknown), and never part of a batch. A torn last write (a crash in the middle of an append)
   * is not an error: it is dropped. Called once, before any append; a second call throws {@link
   * IllegalStateException}. May block on I/O and, for a store that elects a leader, until this
   * allocator leads.
   *
   * @throws StateStoreException if the stored state cannot be read (corruption that is not a torn
   *     last write, an unreadable file, an unreachable ensemble, the store closed while waiting);
   *     the allocator must not start then
   */
  StateSnapshot recover();

  /**
   * Appends a batch of events atomically: after a crash either all of them are recovered or none.
   * May be called from any thread; batches take effect in the order of the calls. Never blocks on
   * I/O and never throws: the returned future completes once the batch is durable (a later {@link
   * #recover} on the same storage, by any store, sees it), or exceptionally with a {@link
   * StateStoreException}. Futures complete in append order, one at a time, and a callback attached
   * to one runs before the next completes. After a failure the store is fenced: every later append
   * fails too (a new store must be recovered). An append before {@link #recover} returned or after
   * {@link #close} fails. An empty batch completes after every earlier batch is durable (a barrier)
   * and changes nothing.
   */
  CompletableFuture<Void> append(List<StateEvent> events);

  /**
   * Completes or fails every pending append, then releases files, connections and threads; later
   * appends fail, and another store may then recover the storage. Idempotent.
   */
  @Override
  void close();
}
