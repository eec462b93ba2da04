package io.strata.allocator.state.zk;

import io.strata.allocator.state.StateEvent;
import io.strata.allocator.state.StateSnapshot;
import io.strata.allocator.state.StateStore;
import io.strata.allocator.state.StateStoreException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.curator.framework.recipes.leader.Participant;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.RetryNTimes;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The high-availability state store: the event log and compacted snapshots in ZooKeeper, written
 * only by the elected leader, every write fenced by the epoch it claimed (docs/ha.md).
 *
 * <p>Life of a store: {@link #start} connects, joins the election (Curator's {@link LeaderLatch})
 * and tails the log into a warm fold, as a standby. {@link #recover} waits until this store leads,
 * claims the next epoch (a versioned write of the epoch znode: from then on the previous leader's
 * writes fail), reads only the records its standby fold has not seen yet, and opens for appends.
 * Leadership lost, the connection suspended or lost, or any failed write: the store refuses every
 * later append at once (before the session could expire and another allocator take over) and stays
 * refused; the allocator then starts again as a standby with a new store, as a Mesos master exits
 * when it loses its ZooKeeper session.
 */
public final class ZooKeeperStore implements StateStore {
  private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperStore.class);

  private final ZooKeeperSettings settings;
  private final ZkLayout layout;
  private final CuratorFramework client;
  private final ZkLog log;
  private final ZkLog.Replica replica = new ZkLog.Replica();
  private final ZkStandby standby;
  private final ExecutorService compactions =
      Executors.newSingleThreadExecutor(
          r -> Thread.ofPlatform().daemon().name("zk-compaction").unstarted(r));

  private volatile LeaderLatch latch;
  private volatile ZkWriter writer;
  private volatile Fence fence;
  private boolean started;
  private boolean recovered;
  private long sinceSnapshot;
  private volatile long caughtUpAtTakeover = -1;
  private CompletableFuture<Void> compaction = CompletableFuture.completedFuture(null);
  private volatile StateStoreException failure;
  private volatile boolean connected;
  private volatile boolean closed;

  public ZooKeeperStore(ZooKeeperSettings settings) {
    this.settings = settings;
    this.layout = new ZkLayout(settings.root());
    this.client =
        CuratorFrameworkFactory.builder()
            .connectString(settings.connectString())
            .sessionTimeoutMs((int) settings.sessionTimeout().toMillis())
            .connectionTimeoutMs((int) settings.connectionTimeout().toMillis())
            .retryPolicy(new RetryNTimes(3, 200))
            // Only the configured addresses: Curator would otherwise replace them with the
            // servers' own addresses from the ensemble's config (bypassing a proxy, a load
            // balancer or DNS names, and a partition test's cut).
            .ensembleTracker(false)
            .build();
    this.log = new ZkLog(client, layout);
    this.standby = new ZkStandby(client, layout, log, replica);
  }

  /**
   * Connects, creates the store's znodes if this is the first allocator, joins the election and
   * starts tailing the log as a standby. Blocks until connected. Idempotent.
   *
   * @throws StateStoreException if ZooKeeper cannot be reached within the connection timeout
   */
  public synchronized void start() {
    if (started) {
      return;
    }
    if (closed) {
      throw new StateStoreException("the ZooKeeper store is closed");
    }
    started = true;
    client.start();
    try {
      if (!client.blockUntilConnected(
          (int) settings.connectionTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
        throw new StateStoreException(
            "cannot reach ZooKeeper at "
                + settings.connectString()
                + " within "
                + settings.connectionTimeout());
      }
      for (String p : List.of(layout.log, layout.chunks, layout.snapshots, layout.snapshotChunks)) {
        createIfAbsent(p, new byte[0]);
      }
      createIfAbsent(layout.epoch, epochData(0, "none"));
      connected = true;
      awaitNoParticipantWithOurId();
    } catch (StateStoreException e) {
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StateStoreException("interrupted while connecting to ZooKeeper", e);
    } catch (Exception e) {
      throw new StateStoreException("cannot set up the store in ZooKeeper: " + e, e);
    }
    client
        .getConnectionStateListenable()
        .addListener(
            (c, state) -> {
              connected = state.isConnected();
              if (state == ConnectionState.SUSPENDED || state == ConnectionState.LOST) {
                stepDown(
                    "the connection to ZooKeeper is "
                        + state.name().toLowerCase(java.util.Locale.ROOT)
                        + "; this allocator stops writing before its session can expire");
              }
            });
    latch = new LeaderLatch(client, layout.election, settings.id());
    latch.addListener(
        new LeaderLatchListener() {
          @Override
          public void isLeader() {}

          @Override
          public void notLeader() {
            stepDown("this allocator is no longer the leader");
          }
        });
    try {
      latch.start();
    } catch (Exception e) {
      throw new StateStoreException("cannot join the leader election: " + e, e);
    }
    standby.start();
  }

  /**
   * Waits until this store leads (blocking for as long as another allocator does), claims the next
   * epoch, catches up from the standby fold and returns the state as of the last durable append.
   *
   * @throws StateStoreException if ZooKeeper cannot be reached, the stored state is damaged,
   *     leadership is lost during the claim, or the store is closed while waiting
   */
  @Override
  public StateSnapshot recover() {
    synchronized (this) {
      if (recovered) {
        throw new IllegalStateException("recover() is called once");
      }
      recovered = true;
    }
    start();
    try {
      while (!latch.await(200, TimeUnit.MILLISECONDS)) {
        if (closed) {
          throw new StateStoreException("closed while waiting to become the leader");
        }
      }
      standby.stop();
      fence = claimEpoch();
      long replayed;
      synchronized (replica) {
        replayed = log.catchUp(replica, true);
      }
      if (!latch.hasLeadership() || failure != null) {
        throw new StateStoreException("lost leadership while taking over");
      }
      StateSnapshot recovered;
      synchronized (replica) {
        recovered = replica.fold.snapshot();
      }
      // Records not yet compacted, however many the standby had already read.
      int uncompacted = client.checkExists().forPath(layout.log).getNumChildren();
      synchronized (this) {
        if (closed) {
          throw new StateStoreException("the ZooKeeper store is closed");
        }
        sinceSnapshot = uncompacted;
        caughtUpAtTakeover = replayed;
        writer =
            new ZkWriter(
                client,
                layout,
                fence,
                replica,
                settings.chunkBytes(),
                this::stepDown,
                this::maybeCompact);
        if (failure != null) {
          writer.fail(failure);
        }
      }
      LOG.info(
          "ZooKeeper store {}: {} leads with epoch {} at record {} ({} caught up after the standby"
              + " fold)",
          settings.root(),
          settings.id(),
          fence.epoch(),
          replica.lastSeq,
          replayed);
      return recovered;
    } catch (StateStoreException e) {
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StateStoreException("interrupted while waiting to become the leader", e);
    } catch (Exception e) {
      throw new StateStoreException("cannot take over the state in ZooKeeper: " + e, e);
    }
  }

  @Override
  public CompletableFuture<Void> append(List<StateEvent> events) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    StateStoreException failed = failure;
    ZkWriter w = writer;
    if (failed != null) {
      done.completeExceptionally(failed);
    } else if (closed || w == null) {
      done.completeExceptionally(new StateStoreException("the ZooKeeper store is not open"));
    } else {
      w.submit(new ZkWriter.Pending(List.copyOf(events), done));
    }
    return done;
  }

  /** True while this store leads and accepts appends. */
  public boolean accepting() {
    return writer != null && failure == null && !closed;
  }

  /**
   * True while this store's ZooKeeper connection is up (connected and not suspended or lost since):
   * only then is what it reads of the election current.
   */
  public boolean connected() {
    return connected && !closed && client.getZookeeperClient().isConnected();
  }

  /** The epoch this store claimed, or -1 before it leads. */
  public long epoch() {
    Fence f = fence;
    return f == null ? -1 : f.epoch();
  }

  /**
   * How many records this store read when it took over (after its standby fold), or -1 before it
   * leads. A standby in step with the leader reads none.
   */
  public long caughtUpAtTakeover() {
    return caughtUpAtTakeover;
  }

  /** The sequence number of the last record in this store's fold (standby or leader). */
  public long position() {
    synchronized (replica) {
      return replica.lastSeq;
    }
  }

  /**
   * Who leads as ZooKeeper says now: the epoch znode and the election's current winner (two reads,
   * for a standby's redirects). May block up to the connection's timeouts.
   *
   * @throws StateStoreException if ZooKeeper cannot be read (e.g. disconnected) or the store has
   *     not started
   */
  public Election election() {
    LeaderLatch l = latch;
    if (l == null) {
      throw new StateStoreException("the ZooKeeper store has not joined the election");
    }
    try {
      EpochData e =
          ZkCodec.read(client.getData().forPath(layout.epoch), EpochData.class, layout.epoch);
      Participant p = l.getLeader();
      String elected = p.isLeader() && !p.getId().isEmpty() ? p.getId() : null;
      return new Election(e.epoch(), e.epoch() == 0 ? null : e.leader(), elected);
    } catch (StateStoreException e) {
      throw e;
    } catch (Exception e) {
      throw new StateStoreException("cannot read the election in ZooKeeper: " + e, e);
    }
  }

  /**
   * The election as read by {@link #election}.
   *
   * @param epoch the last epoch claimed (0: none yet)
   * @param claimedBy the id of the allocator that claimed it (its advertised URL), null if none
   * @param elected the id of the allocator the election names now, null if none
   */
  public record Election(long epoch, String claimedBy, String elected) {
    /**
     * The allocator serving as leader: the one that claimed the epoch, while the election still
     * names it. Empty between a leader's loss and its successor's claim.
     */
    public java.util.Optional<String> serving() {
      return claimedBy != null && claimedBy.equals(elected)
          ? java.util.Optional.of(claimedBy)
          : java.util.Optional.empty();
    }
  }

  /** The state this store's fold holds now: a standby's warm replica, or the leader's state. */
  public StateSnapshot replicaState() {
    synchronized (replica) {
      return replica.fold.snapshot();
    }
  }

  @Override
  public void close() {
    ZkWriter w;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      w = writer;
    }
    if (w != null) {
      w.stop();
    }
    standby.stop();
    compactions.shutdown();
    try {
      if (!compactions.awaitTermination(30, TimeUnit.SECONDS)) {
        LOG.warn("ZooKeeper store {}: a compaction was still running at close", settings.root());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      if (latch != null) {
        latch.close();
      }
    } catch (Exception e) {
      LOG.warn("ZooKeeper store {}: leaving the election: {}", settings.root(), e.toString());
    }
    client.close();
  }

  private void stepDown(String why) {
    stepDown(new StateStoreException(why));
  }

  private void stepDown(StateStoreException why) {
    ZkWriter w;
    synchronized (this) {
      if (failure != null || fence == null) {
        return; // a standby has nothing to stop; the election and its tail carry on
      }
      failure = why;
      w = writer;
    }
    if (w != null) {
      LOG.warn("ZooKeeper store {}: {}", settings.root(), why.getMessage());
      w.fail(why);
    }
  }

  /** Called on the writer thread after each commit, with the number of records it wrote. */
  private void maybeCompact(long records) {
    sinceSnapshot += records;
    if (sinceSnapshot < settings.snapshotEvery() || !compaction.isDone() || failure != null) {
      return;
    }
    sinceSnapshot = 0;
    long upTo;
    StateSnapshot state;
    synchronized (replica) {
      upTo = replica.lastSeq;
      state = replica.fold.snapshot();
    }
    ZkCompaction c = new ZkCompaction(client, layout, fence, settings.chunkBytes());
    compaction =
        CompletableFuture.runAsync(
            () -> {
              try {
                c.compact(upTo, state);
              } catch (Exception e) {
                // The log still holds everything; the next compaction tries again.
                LOG.warn(
                    "ZooKeeper store {}: compaction at record {} failed: {}",
                    settings.root(),
                    upTo,
                    e.toString());
              }
            },
            compactions);
  }

  /**
   * Refuses to join the election under an id a live participant already has. An allocator's
   * previous process, killed, leaves its election znode until its session expires: so a znode with
   * our id must outlive twice the session timeout (ours, as the server granted it) before it counts
   * as another allocator's.
   *
   * @throws DuplicateIdException if it does
   */
  private void awaitNoParticipantWithOurId() throws Exception {
    long session = client.getZookeeperClient().getZooKeeper().getSessionTimeout();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2 * session);
    boolean waited = false;
    while (!closed) {
      String holder = participantWithOurId();
      if (holder == null) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new DuplicateIdException(
            "another allocator already uses "
                + settings.id()
                + " as its advertised URL in the election at "
                + settings.connectString()
                + settings.root()
                + " (znode "
                + holder
                + ", alive for more than twice the "
                + session
                + " ms session timeout); give each allocator of the group its own advertiseUrl");
      }
      if (!waited) {
        waited = true;
        LOG.warn(
            "ZooKeeper store {}: {} is in the election already ({}): waiting for that session to"
                + " expire (a previous process of this allocator) or to prove another allocator's",
            settings.root(),
            settings.id(),
            holder);
      }
      Thread.sleep(200);
    }
  }

  /** The election znode whose id is ours, or null. */
  private String participantWithOurId() throws Exception {
    if (client.checkExists().forPath(layout.election) == null) {
      return null;
    }
    for (String child : client.getChildren().forPath(layout.election)) {
      String path = layout.election + "/" + child;
      try {
        byte[] id = client.getData().forPath(path);
        if (settings.id().equals(new String(id, java.nio.charset.StandardCharsets.UTF_8))) {
          return path;
        }
      } catch (KeeperException.NoNodeException e) {
        // gone meanwhile
      }
    }
    return null;
  }

  /** Bumps the epoch znode with a versioned write: the new leader's fence. */
  private Fence claimEpoch() throws Exception {
    Stat stat = new Stat();
    byte[] data = client.getData().storingStatIn(stat).forPath(layout.epoch);
    long previous = ZkCodec.read(data, EpochData.class, layout.epoch).epoch();
    try {
      Stat after =
          client
              .setData()
              .withVersion(stat.getVersion())
              .forPath(layout.epoch, epochData(previous + 1, settings.id()));
      return new Fence(layout.epoch, after.getVersion(), previous + 1);
    } catch (KeeperException.BadVersionException e) {
      throw new StateStoreException(
          "another allocator claimed the epoch at the same time; not taking over", e);
    }
  }

  /** The epoch znode's content. */
  record EpochData(long epoch, String leader) {}

  private static byte[] epochData(long epoch, String leader) {
    return ZkCodec.json(new EpochData(epoch, leader));
  }

  private void createIfAbsent(String path, byte[] data) throws Exception {
    try {
      client.create().creatingParentsIfNeeded().withMode(CreateMode.PERSISTENT).forPath(path, data);
    } catch (KeeperException.NodeExistsException e) {
      // Another allocator made it first.
    }
  }

  @Override
  public String toString() {
    return "ZooKeeperStore[" + settings.root() + " as " + settings.id() + "]";
  }
}
