package io.strata.allocator.server;

import io.strata.allocator.ha.ZooKeeperUrl;
import io.strata.allocator.server.auth.Credentials;
import io.strata.allocator.server.auth.ServerTls;
import io.strata.allocator.server.config.AllocatorConfig;
import io.strata.allocator.state.StateSnapshot;
import io.strata.allocator.state.zk.DuplicateIdException;
import io.strata.allocator.state.zk.ZooKeeperSettings;
import io.strata.allocator.state.zk.ZooKeeperStore;
import io.strata.api.operator.LeaderView;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An allocator's life in an HA group: a standby on a {@link ZooKeeperStore} (its warm replica
 * tailing the log) until the store's {@code recover()} returns, i.e. this allocator was elected and
 * claimed the next epoch; then a {@link LeaderTerm} built from the recovered state serves, until
 * the store stops accepting writes (fenced, the ZooKeeper connection suspended or lost, leadership
 * lost) or the master fails. Then the term is dropped at once (the API answers as a standby again,
 * streams close, the built-in frameworks stop) and the allocator rejoins the election with a new
 * store: it never exits and never resumes writing on a store that stopped.
 *
 * <p>A second thread keeps what this allocator knows of the leader fresh (every {@link
 * #REFRESH_MILLIS}), for the redirects and {@code GET /v1/leader}.
 */
final class Candidacy implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Candidacy.class);
  static final long REFRESH_MILLIS = 200;
  private static final long POLL_MILLIS = 20;
  private static final long REJOIN_BACKOFF_MILLIS = 500;

  /** What a term needs, besides its store. */
  record TermFactory(
      AllocatorConfig config,
      Clock clock,
      Credentials credentials,
      ServerTls tls,
      List<HttpExtension> extensions) {
    LeaderTerm lead(ZooKeeperStore store, StateSnapshot recovered) {
      return LeaderTerm.lead(config, clock, store, recovered, credentials, tls, extensions);
    }
  }

  private final ZooKeeperSettings settings;
  private final TermFactory factory;
  private final String self;
  private final Thread runner;
  private final Thread watcher;
  private final long staleAfterNanos;
  private volatile LeaderDuties duties = LeaderDuties.NONE;
  private volatile AllocatorServer server;
  private volatile ZooKeeperStore store;

  /** The store started by {@link #start}, for the runner's first round. */
  private volatile ZooKeeperStore first;

  private volatile LeaderTerm term;
  private volatile Seen seen;
  private volatile long lastEpoch;
  private volatile boolean closed;

  Candidacy(TermFactory factory, String self) {
    AllocatorConfig config = factory.config();
    ZooKeeperUrl url = config.zookeeperUrl().orElseThrow();
    Duration session = Duration.ofMillis(config.zookeeperSessionTimeoutMillis());
    this.settings =
        ZooKeeperSettings.of(url.connectString(), url.root(), self)
            .withTimeouts(session, session)
            .withSnapshotEvery(
                Math.min(config.snapshotEvery(), ZooKeeperSettings.MAX_SNAPSHOT_EVERY));
    this.factory = factory;
    this.self = self;
    // A connected ZooKeeper client hears from its server at least every 2/3 of the session
    // timeout (its read timeout), or reports the connection suspended: a read older than that
    // (plus a refresh) comes from a watcher stuck on a connection that is going.
    this.staleAfterNanos =
        Duration.ofMillis(REFRESH_MILLIS + config.zookeeperSessionTimeoutMillis() * 2 / 3)
            .toNanos();
    this.runner = Thread.ofPlatform().name("allocator-candidacy").daemon().unstarted(this::run);
    this.watcher =
        Thread.ofPlatform().name("allocator-leader-watch").daemon().unstarted(this::watch);
  }

  /**
   * Joins the election, the first time before it returns (unless ZooKeeper cannot be reached: then
   * in the background, as every later time); {@code duties} run while this allocator leads.
   *
   * @throws DuplicateIdException if another live allocator of the group has this one's advertised
   *     URL (this may take twice the session timeout to tell: see {@link ZooKeeperStore#start})
   */
  Candidacy start(AllocatorServer owner, LeaderDuties leaderDuties) {
    this.server = owner;
    this.duties = leaderDuties;
    LOG.info(
        "allocator {} joins the election at zk://{}{} as a standby",
        self,
        settings.connectString(),
        settings.root());
    ZooKeeperStore first = new ZooKeeperStore(settings);
    try {
      first.start();
      this.first = first;
    } catch (DuplicateIdException e) {
      first.close();
      throw e;
    } catch (RuntimeException e) {
      first.close();
      LOG.warn("allocator {}: {}; trying again in the background", self, e.getMessage());
    }
    runner.start();
    watcher.start();
    return this;
  }

  /**
   * The term while this allocator leads and its store accepts writes, else null: a leader whose
   * store stopped (fenced, its ZooKeeper connection suspended or lost) answers as a standby at
   * once, even before the runner drops the term.
   */
  LeaderTerm term() {
    LeaderTerm t = term;
    return t != null && ((ZooKeeperStore) t.store).accepting() ? t : null;
  }

  /**
   * Who leads as this allocator knows it now. Not leading, it names another allocator only from a
   * read of the election made on its current store, within {@link #staleAfterNanos}, while that
   * store is connected to ZooKeeper: cut off from ZooKeeper, or with nothing read since it led, it
   * knows no leader (the API answers 503) rather than redirect clients to an allocator that may
   * have lost its place, itself included.
   */
  LeaderView view() {
    LeaderTerm t = term();
    if (t != null) {
      return new LeaderView(self, self, true, ((ZooKeeperStore) t.store).epoch());
    }
    Seen s = seen;
    ZooKeeperStore current = store;
    String leader = null;
    if (s != null
        && s.store == current
        && current.connected()
        && System.nanoTime() - s.readAtNanos <= staleAfterNanos) {
      leader = s.election.serving().filter(l -> !l.equals(self)).orElse(null);
    }
    return new LeaderView(leader, self, false, lastEpoch);
  }

  /** A read of the election, on which store and when. */
  private record Seen(ZooKeeperStore store, ZooKeeperStore.Election election, long readAtNanos) {}

  private void run() {
    while (!closed) {
      ZooKeeperStore s = first != null ? first : new ZooKeeperStore(settings);
      first = null;
      store = s;
      LeaderTerm t = null;
      boolean led = false;
      try {
        if (closed) {
          break;
        }
        s.start();
        StateSnapshot recovered = s.recover();
        long elected = System.nanoTime();
        t = factory.lead(s, recovered);
        synchronized (this) {
          if (closed) {
            break;
          }
          term = t;
          seen = null; // read before it led: when the term ends, only a new read names a leader
        }
        lastEpoch = s.epoch();
        LOG.info(
            "allocator {} leads (epoch {}; {} records read at takeover; serving {} ms after its"
                + " claim)",
            self,
            s.epoch(),
            s.caughtUpAtTakeover(),
            (System.nanoTime() - elected) / 1_000_000);
        led = true;
        try {
          duties.lead(server);
        } catch (RuntimeException e) {
          LOG.error("allocator {}: the leader's duties failed to start", self, e);
        }
        while (!closed && s.accepting() && t.healthy()) {
          Thread.sleep(POLL_MILLIS);
        }
        if (!closed) {
          LOG.warn(
              "allocator {} steps down ({}); it rejoins the election as a standby",
              self,
              s.accepting() ? "the master failed" : "its ZooKeeper store stopped accepting writes");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (RuntimeException e) {
        if (!closed) {
          LOG.warn("allocator {}: {}; rejoining the election", self, e.getMessage());
        }
      } finally {
        stepDown(s, t, led);
      }
      sleepUnlessClosed(REJOIN_BACKOFF_MILLIS);
    }
  }

  /** Stops serving first, then the duties, the term's streams and loop, and the store. */
  private void stepDown(ZooKeeperStore s, LeaderTerm t, boolean led) {
    synchronized (this) {
      term = null;
      seen = null;
    }
    if (led) {
      try {
        duties.stopLeading();
      } catch (RuntimeException e) {
        LOG.warn("allocator {}: stopping the leader's duties: {}", self, e.toString());
      }
    }
    if (t != null) {
      t.close();
    }
    s.close();
  }

  private void watch() {
    while (!closed) {
      ZooKeeperStore s = store;
      if (s != null && term == null) {
        try {
          ZooKeeperStore.Election e = s.election();
          if (term == null) {
            seen = new Seen(s, e, System.nanoTime());
            lastEpoch = e.epoch();
          }
        } catch (RuntimeException e) {
          seen = null; // not started yet, or ZooKeeper unreachable: no leader known
        }
      }
      sleepUnlessClosed(REFRESH_MILLIS);
    }
  }

  private void sleepUnlessClosed(long millis) {
    try {
      if (!closed) {
        Thread.sleep(millis);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Leaves the election: steps down if leading, and waits for the threads to end. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    // A leader's runner sees `closed` within a poll and steps down in order (duties, streams,
    // loop, then the store, whose session it closes so that a standby is elected at once). A
    // standby's runner waits in recover(), which closing its store ends. No interrupts: an
    // interrupted thread cannot close its ZooKeeper session, which would then linger for a whole
    // session timeout and hold the election.
    if (term == null) {
      ZooKeeperStore s = store;
      if (s != null) {
        s.close();
      }
    }
    try {
      runner.join(30_000);
      watcher.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
