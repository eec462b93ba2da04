package io.strata.allocator.state.zk;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.CuratorWatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A standby's tail: applies each new record to the warm fold as the leader writes it, so that
 * taking over reads only the last few records. It watches the one znode that comes next (an
 * exists-watch on {@code r-<seq+1>}), so it costs nothing while the log is quiet, and looks again
 * at least once a second in case a watch was lost with a connection.
 */
final class ZkStandby {
  private static final Logger LOG = LoggerFactory.getLogger(ZkStandby.class);

  private final CuratorFramework client;
  private final ZkLayout layout;
  private final ZkLog log;
  private final ZkLog.Replica replica;
  private final Semaphore wake = new Semaphore(0);
  private Thread thread;
  private volatile boolean stop;

  ZkStandby(CuratorFramework client, ZkLayout layout, ZkLog log, ZkLog.Replica replica) {
    this.client = client;
    this.layout = layout;
    this.log = log;
    this.replica = replica;
  }

  synchronized void start() {
    if (thread == null && !stop) {
      thread = Thread.ofPlatform().daemon().name("zk-standby").unstarted(this::loop);
      thread.start();
    }
  }

  /** Stops tailing and waits for the thread: from then on the caller owns the fold. */
  void stop() {
    Thread t;
    synchronized (this) {
      stop = true;
      t = thread;
    }
    if (t != null) {
      wake.release();
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void loop() {
    CuratorWatcher watcher = event -> wake.release();
    while (!stop) {
      try {
        long next;
        synchronized (replica) {
          log.catchUp(replica, false);
          next = replica.lastSeq + 1;
        }
        if (client.checkExists().usingWatcher(watcher).forPath(layout.record(next)) != null) {
          continue;
        }
        wake.tryAcquire(1, TimeUnit.SECONDS);
        wake.drainPermits();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        if (!stop) {
          LOG.warn("standby tail of {}: {}; retrying", layout.root, e.toString());
          try {
            Thread.sleep(500);
          } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      }
    }
  }
}
