package io.strata.api.client;

import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * The allocators an {@link AllocatorAddress} names, and which of them to talk to now: the leader
 * once it is known (from a 307, or from ZooKeeper), else the configured URLs in turn. Thread-safe;
 * one instance is shared by every request of a client (and by its reconnections), so the leader
 * found by one request is where the next one goes.
 *
 * <p>For {@code zk://} it holds a ZooKeeper client, connected on first use and watching the
 * leader's znode: {@link #close()} it when done. For URLs it holds no resource.
 */
public final class AllocatorEndpoints implements AutoCloseable {
  private final AllocatorAddress address;
  private final List<URI> configured;
  private final ZooKeeperLeader zooKeeper;
  private URI leader;
  private int next;

  private AllocatorEndpoints(AllocatorAddress address) {
    this.address = Objects.requireNonNull(address, "address");
    switch (address) {
      case AllocatorAddress.Urls u -> {
        this.configured = u.urls();
        this.zooKeeper = null;
      }
      case AllocatorAddress.ZooKeeper z -> {
        this.configured = List.of();
        this.zooKeeper = new ZooKeeperLeader(z);
      }
    }
  }

  public static AllocatorEndpoints of(AllocatorAddress address) {
    return new AllocatorEndpoints(address);
  }

  /** One allocator: today's behaviour (no failover; a 307 is followed). */
  public static AllocatorEndpoints of(URI url) {
    return new AllocatorEndpoints(AllocatorAddress.of(url));
  }

  /**
   * Parses any of the three forms ({@link AllocatorAddress#parse}).
   *
   * @throws IllegalArgumentException naming the bad part
   */
  public static AllocatorEndpoints parse(String text) {
    return new AllocatorEndpoints(AllocatorAddress.parse(text));
  }

  public AllocatorAddress address() {
    return address;
  }

  /** One configured URL: a failure there is reported at once, as before HA. */
  public boolean isSingle() {
    return address.isSingle();
  }

  /** How many addresses one round of failover tries before it waits: 1 for {@code zk://}. */
  public int size() {
    return zooKeeper == null ? configured.size() : 1;
  }

  /**
   * The allocator the next request goes to: the known leader, else the next configured URL, else
   * (zk://) the leader ZooKeeper names. May block on ZooKeeper (connecting, reading the znode).
   *
   * @throws ApiException status 0 when ZooKeeper cannot be reached, 503 when it names no leader
   */
  public URI current() {
    synchronized (this) {
      if (leader != null) {
        return leader;
      }
      if (zooKeeper == null) {
        return configured.get(next);
      }
    }
    // Outside the lock: reading ZooKeeper may take a while.
    return zooKeeper.leader();
  }

  /** The leader is {@code url} (a standby redirected there): requests go there from now on. */
  public synchronized void leaderIs(URI url) {
    this.leader = url;
  }

  /**
   * {@code url} failed (unreachable, or no leader known there): it is no longer taken for the
   * leader, and {@link #current()} moves on to the next configured URL (zk://: reads the znode
   * again).
   */
  public void failed(URI url) {
    synchronized (this) {
      if (url.equals(leader)) {
        leader = null;
        if (!configured.contains(url) && !configured.isEmpty()) {
          // Learnt from the configured URL at `next` (a standby's 307) and unreachable from here
          // (a private address, seen from outside): that URL leads nowhere, ask the next one.
          next = (next + 1) % configured.size();
          return;
        }
      }
      int at = configured.indexOf(url);
      if (at >= 0 && at == next) {
        next = (next + 1) % configured.size();
      }
    }
    if (zooKeeper != null) {
      zooKeeper.reread();
    }
  }

  /** True if {@code url} is one of the configured URLs (not a leader learnt on the way). */
  public boolean isConfigured(URI url) {
    return configured.contains(url);
  }

  @Override
  public void close() {
    if (zooKeeper != null) {
      zooKeeper.close();
    }
  }

  @Override
  public String toString() {
    return address.toString();
  }
}
