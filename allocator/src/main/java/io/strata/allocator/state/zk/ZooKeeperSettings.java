package io.strata.allocator.state.zk;

import java.time.Duration;

/**
 * How a {@link ZooKeeperStore} reaches its ensemble and lays out its data.
 *
 * @param connectString the ensemble, {@code host:port[,host:port...]}
 * @param root the znode under which this cluster's state lives, e.g. {@code /strata}
 * @param id this allocator's name in the election (e.g. its advertised address)
 * @param sessionTimeout the ZooKeeper session timeout; the store stops writing as soon as the
 *     connection is suspended, before a session this long could expire
 * @param connectionTimeout how long to wait for a first connection
 * @param chunkBytes the largest znode the store writes; records and snapshots larger than this are
 *     split. Must stay below the ensemble's {@code jute.maxbuffer} (1 MiB by default) with room for
 *     the request's other bytes
 * @param snapshotEvery records between compacted snapshots, at most {@link #MAX_SNAPSHOT_EVERY}
 */
public record ZooKeeperSettings(
    String connectString,
    String root,
    String id,
    Duration sessionTimeout,
    Duration connectionTimeout,
    int chunkBytes,
    int snapshotEvery) {

  /** 512 KiB: half of ZooKeeper's default jute.maxbuffer (0xfffff bytes). */
  public static final int DEFAULT_CHUNK_BYTES = 512 * 1024;

  /** The most records between snapshots (see the constructor). */
  public static final int MAX_SNAPSHOT_EVERY = 20_000;

  public ZooKeeperSettings {
    if (connectString == null || connectString.isBlank()) {
      throw new IllegalArgumentException("connectString is required");
    }
    if (root == null || !root.startsWith("/") || root.length() < 2 || root.endsWith("/")) {
      throw new IllegalArgumentException("root must be an absolute znode path such as /strata");
    }
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("id is required");
    }
    if (chunkBytes < 1024 || chunkBytes > 900 * 1024) {
      throw new IllegalArgumentException("chunkBytes must be between 1 KiB and 900 KiB");
    }
    if (snapshotEvery < 1 || snapshotEvery > MAX_SNAPSHOT_EVERY) {
      // Recovery and compaction list the log's children in one response, which jute.maxbuffer
      // bounds too (about 28 bytes a record): keep the log well below 37,000 records.
      throw new IllegalArgumentException(
          "snapshotEvery must be between 1 and " + MAX_SNAPSHOT_EVERY);
    }
  }

  /** Defaults: 10 s sessions, 10 s to connect, 512 KiB chunks, a snapshot every 10,000 records. */
  public static ZooKeeperSettings of(String connectString, String root, String id) {
    return new ZooKeeperSettings(
        connectString,
        root,
        id,
        Duration.ofSeconds(10),
        Duration.ofSeconds(10),
        DEFAULT_CHUNK_BYTES,
        10_000);
  }

  public ZooKeeperSettings withTimeouts(Duration session, Duration connection) {
    return new ZooKeeperSettings(
        connectString, root, id, session, connection, chunkBytes, snapshotEvery);
  }

  public ZooKeeperSettings withSnapshotEvery(int every) {
    return new ZooKeeperSettings(
        connectString, root, id, sessionTimeout, connectionTimeout, chunkBytes, every);
  }

  public ZooKeeperSettings withId(String newId) {
    return new ZooKeeperSettings(
        connectString, root, newId, sessionTimeout, connectionTimeout, chunkBytes, snapshotEvery);
  }
}
