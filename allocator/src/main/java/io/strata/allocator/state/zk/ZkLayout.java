package io.strata.allocator.state.zk;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the store's znodes live under its root (docs/ha.md):
 *
 * <pre>
 *   epoch                              the fence: {"epoch":n,"leader":id}; its version is checked
 *                                      by every write
 *   election/                          Curator's LeaderLatch
 *   log/r-&lt;seq:20&gt;                    one record: a batch of events, or a manifest of chunks
 *   chunks/r-&lt;seq:20&gt;-&lt;epoch&gt;-&lt;i:6&gt;  the chunks of a record larger than one znode
 *   snapshots/s-&lt;seq:20&gt;              a snapshot's manifest (the state after record seq)
 *   snapshot-chunks/s-&lt;seq:20&gt;-&lt;epoch&gt;-&lt;i:6&gt;  its chunks
 * </pre>
 *
 * Record names carry the store's own sequence numbers rather than ZooKeeper's sequential suffix
 * (the parent's cversion: an int that deletions advance too), so a gap is visible and a second
 * writer of the same record fails with NodeExists. Chunk names carry the writer's epoch, so a
 * deposed leader's half-written chunks never collide with the new leader's.
 */
final class ZkLayout {
  private static final Pattern RECORD = Pattern.compile("r-(\\d{20})");
  private static final Pattern SNAPSHOT = Pattern.compile("s-(\\d{20})");
  private static final Pattern CHUNK = Pattern.compile("[rs]-(\\d{20})-\\d+-\\d{6}");

  final String root;
  final String epoch;
  final String election;
  final String log;
  final String chunks;
  final String snapshots;
  final String snapshotChunks;

  ZkLayout(String root) {
    this.root = root;
    this.epoch = root + "/epoch";
    this.election = root + "/election";
    this.log = root + "/log";
    this.chunks = root + "/chunks";
    this.snapshots = root + "/snapshots";
    this.snapshotChunks = root + "/snapshot-chunks";
  }

  String record(long seq) {
    return log + "/" + recordName(seq);
  }

  static String recordName(long seq) {
    return String.format("r-%020d", seq);
  }

  String recordChunk(long seq, long epoch, int i) {
    return chunks + "/" + String.format("r-%020d-%d-%06d", seq, epoch, i);
  }

  String snapshot(long seq) {
    return snapshots + "/" + String.format("s-%020d", seq);
  }

  String snapshotChunk(long seq, long epoch, int i) {
    return snapshotChunks + "/" + String.format("s-%020d-%d-%06d", seq, epoch, i);
  }

  /** The sequence number of a record znode's name, or -1 if it is not one. */
  static long recordSeq(String name) {
    return seqOf(RECORD.matcher(name));
  }

  /** The sequence number of a snapshot manifest's name, or -1 if it is not one. */
  static long snapshotSeq(String name) {
    return seqOf(SNAPSHOT.matcher(name));
  }

  /** The record or snapshot sequence number a chunk belongs to, or -1 if it is not a chunk. */
  static long chunkSeq(String name) {
    return seqOf(CHUNK.matcher(name));
  }

  private static long seqOf(Matcher m) {
    return m.matches() ? Long.parseLong(m.group(1)) : -1;
  }
}
