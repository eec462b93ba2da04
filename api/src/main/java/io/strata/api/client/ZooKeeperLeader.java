package io.strata.api.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.api.json.Codec;
import io.strata.api.json.Problem;
import java.io.IOException;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;

/**
 * The leader's URL as ZooKeeper names it: the {@code leader} of the znode {@code <root>/epoch}
 * ({@code {"epoch":n,"leader":"<url>"}}), which the allocator that wins the election writes. Read
 * once and cached; a watch on the znode (or any change of the connection) makes the next call read
 * it again, and so does {@link #reread()} (the leader it named failed).
 *
 * <p>The ZooKeeper client connects on first use, not at construction, so building a client with a
 * {@code zk://} address costs nothing until it talks to the cluster.
 */
final class ZooKeeperLeader implements AutoCloseable {
  private static final int SESSION_TIMEOUT_MILLIS = 10_000;
  private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

  private final AllocatorAddress.ZooKeeper address;
  private CuratorFramework client;
  private volatile URI cached;
  private volatile boolean stale = true;
  private boolean closed;

  ZooKeeperLeader(AllocatorAddress.ZooKeeper address) {
    this.address = address;
  }

  /**
   * The leader's URL.
   *
   * @throws ApiException status 0 if ZooKeeper cannot be reached, 503 (retryable) if no allocator
   *     leads, 502 if the znode holds something else than a leader's URL
   */
  synchronized URI leader() {
    URI known = cached;
    if (!stale && known != null) {
      return known;
    }
    CuratorFramework zk = connected();
    stale = false;
    byte[] data;
    try {
      data =
          zk.getData().usingWatcher((Watcher) event -> stale = true).forPath(address.epochPath());
    } catch (KeeperException.NoNodeException e) {
      stale = true;
      throw noLeader("no allocator has joined yet (no znode " + address.epochPath() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stale = true;
      throw new ApiException("interrupted reading the leader from " + address, e);
    } catch (Exception e) {
      stale = true;
      throw new ApiException("cannot read the leader from " + address + ": " + e.getMessage(), e);
    }
    cached = parse(data);
    return cached;
  }

  /** The leader named last failed: read the znode again on the next call. */
  void reread() {
    stale = true;
  }

  private URI parse(byte[] data) {
    JsonNode leader;
    try {
      leader = Codec.JSON.mapper().readTree(data).path("leader");
    } catch (IOException e) {
      throw badZnode("is not JSON: " + e.getMessage());
    }
    if (leader.isMissingNode() || leader.isNull() || leader.asText().isBlank()) {
      stale = true;
      throw noLeader("no allocator leads at the moment");
    }
    try {
      AllocatorAddress named = AllocatorAddress.parse(leader.asText());
      if (named instanceof AllocatorAddress.Urls u && u.urls().size() == 1) {
        return u.urls().getFirst();
      }
    } catch (IllegalArgumentException e) {
      throw badZnode("names a leader that is not a URL: " + e.getMessage());
    }
    throw badZnode("names a leader that is not one URL: " + leader.asText());
  }

  private ApiException noLeader(String why) {
    return new ApiException(
        new Problem(null, "No leader", 503, why + " in " + address, null, null, true));
  }

  private ApiException badZnode(String what) {
    stale = true;
    return new ApiException(
        Problem.of(502, "Bad leader znode", address.epochPath() + " in " + address + " " + what));
  }

  private CuratorFramework connected() {
    if (closed) {
      throw new IllegalStateException("closed: " + address);
    }
    if (client == null) {
      client =
          CuratorFrameworkFactory.builder()
              .connectString(address.connectString())
              .sessionTimeoutMs(SESSION_TIMEOUT_MILLIS)
              .connectionTimeoutMs(CONNECT_TIMEOUT_MILLIS)
              .retryPolicy(new ExponentialBackoffRetry(100, 3))
              .build();
      client.getConnectionStateListenable().addListener((c, state) -> stale = true);
      client.start();
    }
    try {
      if (!client.blockUntilConnected(CONNECT_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
        throw new ApiException(
            "cannot reach ZooKeeper at "
                + address.connectString()
                + " within "
                + CONNECT_TIMEOUT_MILLIS
                + " ms",
            null);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException("interrupted connecting to ZooKeeper at " + address, e);
    }
    return client;
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (client != null) {
      client.close();
      client = null;
    }
  }
}
