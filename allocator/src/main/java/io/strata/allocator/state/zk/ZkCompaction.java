package io.strata.allocator.state.zk;

import io.strata.allocator.state.StateSnapshot;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;

/**
 * Writes a compacted snapshot and removes what it makes redundant, every write fenced: the chunks
 * (one transaction each, below jute.maxbuffer), then the manifest, which makes it visible; then the
 * records and record chunks it covers, older snapshots and their chunks, and chunks no record names
 * (torn writes of a deposed leader) up to its sequence number, a few hundred deletions per
 * transaction. Runs on the leader, off the writer thread.
 */
final class ZkCompaction {
  private static final int DELETES_PER_TRANSACTION = 500;

  private final CuratorFramework client;
  private final ZkLayout layout;
  private final Fence fence;
  private final int chunkBytes;

  ZkCompaction(CuratorFramework client, ZkLayout layout, Fence fence, int chunkBytes) {
    this.client = client;
    this.layout = layout;
    this.fence = fence;
    this.chunkBytes = chunkBytes;
  }

  /** Writes the state after record {@code lastSeq} and deletes what it covers. */
  void compact(long lastSeq, StateSnapshot state) throws Exception {
    byte[] payload = ZkCodec.snapshotJson(state);
    List<byte[]> pieces = ZkCodec.split(payload, chunkBytes);
    for (int i = 0; i < pieces.size(); i++) {
      fence.commit(
          client,
          List.of(
              client
                  .transactionOp()
                  .create()
                  .forPath(layout.snapshotChunk(lastSeq, fence.epoch(), i), pieces.get(i))));
    }
    ZkCodec.SnapshotManifest manifest =
        new ZkCodec.SnapshotManifest(
            1,
            lastSeq,
            fence.epoch(),
            pieces.size(),
            payload.length,
            ZkCodec.crc(lastSeq, payload));
    fence.commit(
        client,
        List.of(
            client
                .transactionOp()
                .create()
                .forPath(layout.snapshot(lastSeq), ZkCodec.json(manifest))));
    List<String> doomed = new ArrayList<>();
    for (String name : client.getChildren().forPath(layout.log)) {
      long seq = ZkLayout.recordSeq(name);
      if (seq >= 0 && seq <= lastSeq) {
        doomed.add(layout.log + "/" + name);
      }
    }
    for (String name : client.getChildren().forPath(layout.chunks)) {
      long seq = ZkLayout.chunkSeq(name);
      if (seq >= 0 && seq <= lastSeq) {
        doomed.add(layout.chunks + "/" + name);
      }
    }
    for (String name : client.getChildren().forPath(layout.snapshots)) {
      long seq = ZkLayout.snapshotSeq(name);
      if (seq >= 0 && seq < lastSeq) {
        doomed.add(layout.snapshots + "/" + name);
      }
    }
    String mine = layout.snapshotChunk(lastSeq, fence.epoch(), 0);
    String minePrefix = mine.substring(mine.lastIndexOf('/') + 1, mine.length() - 6);
    for (String name : client.getChildren().forPath(layout.snapshotChunks)) {
      long seq = ZkLayout.chunkSeq(name);
      if (seq >= 0 && seq <= lastSeq && !name.startsWith(minePrefix)) {
        doomed.add(layout.snapshotChunks + "/" + name);
      }
    }
    delete(doomed);
  }

  private void delete(List<String> paths) throws Exception {
    for (int from = 0; from < paths.size(); from += DELETES_PER_TRANSACTION) {
      List<CuratorOp> ops = new ArrayList<>();
      for (String p : paths.subList(from, Math.min(paths.size(), from + DELETES_PER_TRANSACTION))) {
        ops.add(client.transactionOp().delete().forPath(p));
      }
      fence.commit(client, ops);
    }
  }
}
