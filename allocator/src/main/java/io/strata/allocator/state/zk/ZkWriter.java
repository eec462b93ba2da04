package io.strata.allocator.state.zk;

import io.strata.allocator.state.StateEvent;
import io.strata.allocator.state.StateStoreException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's writer thread: takes every append waiting, writes them as few fenced transactions
 * (records that fit together in one chunk's bytes share one), applies them to the fold, then
 * completes their futures in order. A record larger than a chunk is written as chunks first, each
 * in its own fenced transaction, and becomes visible only when its manifest record is created; a
 * leader that dies in between leaves chunks no record names (a torn write), removed by the next
 * compaction. The first failure fails every pending and later append.
 */
final class ZkWriter {
  private static final Logger LOG = LoggerFactory.getLogger(ZkWriter.class);
  private static final int MAX_GROUP = 1024;

  private final CuratorFramework client;
  private final ZkLayout layout;
  private final Fence fence;
  private final ZkLog.Replica replica;
  private final int chunkBytes;
  private final Consumer<StateStoreException> onFailure;
  private final LongConsumer afterCommit;
  private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final Thread thread;
  private volatile StateStoreException failure;

  record Pending(List<StateEvent> events, CompletableFuture<Void> done) {}

  ZkWriter(
      CuratorFramework client,
      ZkLayout layout,
      Fence fence,
      ZkLog.Replica replica,
      int chunkBytes,
      Consumer<StateStoreException> onFailure,
      LongConsumer afterCommit) {
    this.client = client;
    this.layout = layout;
    this.fence = fence;
    this.replica = replica;
    this.chunkBytes = chunkBytes;
    this.onFailure = onFailure;
    this.afterCommit = afterCommit;
    this.thread = Thread.ofPlatform().daemon().name("zk-writer").unstarted(this::loop);
    thread.start();
  }

  void submit(Pending p) {
    queue.add(p);
  }

  /** Fails everything pending and later (the store lost leadership or its connection). */
  void fail(StateStoreException e) {
    if (failure == null) {
      failure = e;
    }
  }

  /** Writes what was submitted before, then stops the thread. */
  void stop() {
    queue.add(new Pending(null, new CompletableFuture<>()));
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void loop() {
    List<Pending> group = new ArrayList<>();
    while (true) {
      group.clear();
      try {
        group.add(queue.take());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      queue.drainTo(group, MAX_GROUP - 1);
      int stopAt = -1;
      for (int i = 0; i < group.size(); i++) {
        if (group.get(i).events() == null) {
          stopAt = i;
          break;
        }
      }
      commit(stopAt < 0 ? group : group.subList(0, stopAt));
      if (stopAt >= 0) {
        group.subList(stopAt, group.size()).stream()
            .filter(p -> p.events() != null)
            .forEach(p -> p.done().completeExceptionally(closed()));
        Pending p;
        while ((p = queue.poll()) != null) {
          if (p.events() != null) {
            p.done().completeExceptionally(closed());
          }
        }
        return;
      }
    }
  }

  private static StateStoreException closed() {
    return new StateStoreException("the ZooKeeper store is closed");
  }

  private void commit(List<Pending> batch) {
    StateStoreException failed = failure;
    if (failed != null) {
      batch.forEach(p -> p.done().completeExceptionally(failed));
      return;
    }
    long first = replica.lastSeq;
    long seq = first;
    List<CuratorOp> ops = new ArrayList<>();
    int opBytes = 0;
    List<Pending> written = new ArrayList<>();
    try {
      for (Pending p : batch) {
        if (p.events().isEmpty()) {
          written.add(p);
          continue;
        }
        byte[] json = ZkCodec.batchJson(p.events());
        long next = seq + 1;
        byte[] data;
        if (json.length + ZkCodec.HEADER <= chunkBytes) {
          data = ZkCodec.record(next, ZkCodec.INLINE, json);
        } else {
          writeChunks(next, json);
          data =
              ZkCodec.record(
                  next,
                  ZkCodec.MANIFEST,
                  ZkCodec.json(
                      new ZkCodec.Manifest(
                          fence.epoch(),
                          ZkCodec.split(json, chunkBytes).size(),
                          json.length,
                          ZkCodec.crc(next, json))));
        }
        if (!ops.isEmpty() && opBytes + data.length > chunkBytes) {
          fence.commit(client, ops);
          ops.clear();
          opBytes = 0;
        }
        ops.add(client.transactionOp().create().forPath(layout.record(next), data));
        opBytes += data.length;
        seq = next;
        written.add(p);
      }
      if (!ops.isEmpty()) {
        fence.commit(client, ops);
      }
    } catch (Exception e) {
      StateStoreException f = e instanceof StateStoreException s ? s : fence.explain(e);
      fail(f);
      LOG.error(
          "ZooKeeper store: write failed; no further change can be made durable: {}",
          f.getMessage());
      onFailure.accept(f);
      batch.forEach(p -> p.done().completeExceptionally(f));
      return;
    }
    synchronized (replica) {
      for (Pending p : written) {
        p.events().forEach(replica.fold::apply);
      }
      replica.lastSeq = seq;
    }
    written.forEach(p -> p.done().complete(null));
    afterCommit.accept(seq - first);
  }

  private void writeChunks(long seq, byte[] json) throws Exception {
    List<byte[]> pieces = ZkCodec.split(json, chunkBytes);
    for (int i = 0; i < pieces.size(); i++) {
      fence.commit(
          client,
          List.of(
              client
                  .transactionOp()
                  .create()
                  .forPath(layout.recordChunk(seq, fence.epoch(), i), pieces.get(i))));
    }
  }
}
