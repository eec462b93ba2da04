package io.strata.allocator.state.zk;

import io.strata.allocator.state.DurableState;
import io.strata.allocator.state.StateEvent;
import io.strata.allocator.state.StateStoreException;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the log and snapshots back into a {@link Replica}: what recovery, a standby's tail and a
 * new leader's catch-up share. Blocks on ZooKeeper; throws {@link StateStoreException} for damaged
 * data and lets ZooKeeper's own exceptions (connection loss) through to the caller.
 */
final class ZkLog {
  private static final Logger LOG = LoggerFactory.getLogger(ZkLog.class);

  private final CuratorFramework client;
  private final ZkLayout layout;

  ZkLog(CuratorFramework client, ZkLayout layout) {
    this.client = client;
    this.layout = layout;
  }

  /** The fold of every record read so far and the last record's sequence number. */
  static final class Replica {
    DurableState fold = new DurableState();
    long lastSeq;
  }

  /**
   * Applies every record after the replica's position until the next is absent. A record that was
   * compacted away is replaced by the newest snapshot covering it. With {@code complete}, the log
   * must end there: a later record behind a gap is corruption (a leader's catch-up).
   *
   * @return how many records were applied
   */
  long catchUp(Replica replica, boolean complete) throws Exception {
    long applied = 0;
    while (true) {
      long next = replica.lastSeq + 1;
      List<StateEvent> events = read(next);
      if (events == null) {
        SnapshotRead snap = newestSnapshot();
        if (snap != null && snap.manifest().lastSeq() >= next) {
          replica.fold = DurableState.of(snap.state());
          replica.lastSeq = snap.manifest().lastSeq();
          continue;
        }
        if (complete) {
          requireEnd(replica.lastSeq);
        }
        return applied;
      }
      events.forEach(replica.fold::apply);
      replica.lastSeq = next;
      applied++;
    }
  }

  /** The events of record {@code seq}, or null if it does not exist (yet, or any more). */
  List<StateEvent> read(long seq) throws Exception {
    String path = layout.record(seq);
    byte[] data;
    try {
      data = client.getData().forPath(path);
    } catch (KeeperException.NoNodeException e) {
      return null;
    }
    byte[] body = ZkCodec.body(seq, data, path);
    if (data[0] == ZkCodec.INLINE) {
      return ZkCodec.events(body, path);
    }
    ZkCodec.Manifest m = ZkCodec.read(body, ZkCodec.Manifest.class, path);
    List<byte[]> pieces = new ArrayList<>();
    for (int i = 0; i < m.chunks(); i++) {
      String chunk = layout.recordChunk(seq, m.epoch(), i);
      try {
        pieces.add(client.getData().forPath(chunk));
      } catch (KeeperException.NoNodeException e) {
        if (client.checkExists().forPath(path) == null) {
          return null; // compacted while we read it
        }
        throw new StateStoreException(path + ": chunk " + chunk + " is missing");
      }
    }
    byte[] payload = ZkCodec.join(pieces);
    if (payload.length != m.bytes() || ZkCodec.crc(seq, payload) != m.crc()) {
      throw new StateStoreException(path + ": its chunks do not match the manifest");
    }
    return ZkCodec.events(payload, path);
  }

  /** A snapshot read back whole. */
  record SnapshotRead(
      ZkCodec.SnapshotManifest manifest, io.strata.allocator.state.StateSnapshot state) {}

  /** The newest snapshot whose chunks read back whole, or null if there is none. */
  SnapshotRead newestSnapshot() throws Exception {
    List<Long> seqs = new ArrayList<>();
    for (String name : client.getChildren().forPath(layout.snapshots)) {
      long seq = ZkLayout.snapshotSeq(name);
      if (seq >= 0) {
        seqs.add(seq);
      }
    }
    seqs.sort(null);
    for (int i = seqs.size() - 1; i >= 0; i--) {
      String path = layout.snapshot(seqs.get(i));
      try {
        ZkCodec.SnapshotManifest m =
            ZkCodec.read(client.getData().forPath(path), ZkCodec.SnapshotManifest.class, path);
        List<byte[]> pieces = new ArrayList<>();
        for (int c = 0; c < m.chunks(); c++) {
          pieces.add(client.getData().forPath(layout.snapshotChunk(m.lastSeq(), m.epoch(), c)));
        }
        byte[] payload = ZkCodec.join(pieces);
        if (payload.length != m.bytes() || ZkCodec.crc(m.lastSeq(), payload) != m.crc()) {
          throw new StateStoreException(path + ": its chunks do not match the manifest");
        }
        return new SnapshotRead(m, ZkCodec.snapshot(payload, path));
      } catch (KeeperException.NoNodeException | StateStoreException e) {
        // Deleted by a compaction while we read it, or damaged: an older one may do.
        LOG.warn("snapshot {} is unreadable ({}); trying an older one", path, e.getMessage());
      }
    }
    return null;
  }

  /** The log ends at {@code lastSeq}: no later record exists behind a gap. */
  private void requireEnd(long lastSeq) throws Exception {
    long max = 0;
    for (String name : client.getChildren().forPath(layout.log)) {
      max = Math.max(max, ZkLayout.recordSeq(name));
    }
    if (max > lastSeq) {
      throw new StateStoreException(
          layout.log
              + ": record "
              + max
              + " exists but record "
              + (lastSeq + 1)
              + " is missing; records are missing");
    }
  }
}
