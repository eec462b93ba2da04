package io.strata.allocator.state.zk;

import io.strata.allocator.state.StateStoreException;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.zookeeper.KeeperException;

/**
 * A leader's right to write: the version of the epoch znode its claim produced. Every write is a
 * multi-op that starts with a check of that version, so once another allocator claims the epoch
 * (bumping the version) the deposed leader's writes fail whole instead of forking the log.
 *
 * @param path the epoch znode
 * @param version its version after this leader's claim
 * @param epoch the epoch number this leader claimed
 */
record Fence(String path, int version, long epoch) {

  /** Runs {@code ops} as one transaction behind the fence. */
  void commit(CuratorFramework client, List<CuratorOp> ops) throws Exception {
    List<CuratorOp> all = new ArrayList<>(ops.size() + 1);
    all.add(client.transactionOp().check().withVersion(version).forPath(path));
    all.addAll(ops);
    client.transaction().forOperations(all);
  }

  /** What a failed fenced write means, as the error the allocator logs and returns. */
  StateStoreException explain(Exception e) {
    if (e instanceof KeeperException.BadVersionException
        || (e instanceof KeeperException k && path.equals(k.getPath()))) {
      return new StateStoreException(
          "fenced: another allocator has claimed leadership (the epoch znode "
              + path
              + " moved past version "
              + version
              + ", epoch "
              + epoch
              + "); this allocator's write was refused",
          e);
    }
    if (e instanceof KeeperException.NodeExistsException) {
      return new StateStoreException(
          "refused: a record this leader (epoch " + epoch + ") was writing already exists", e);
    }
    if (e instanceof KeeperException.ConnectionLossException
        || e instanceof KeeperException.SessionExpiredException
        || e instanceof KeeperException.SessionMovedException) {
      return new StateStoreException(
          "lost the connection to ZooKeeper during a write (its outcome is unknown); this"
              + " allocator stops writing",
          e);
    }
    if (e instanceof InterruptedException) {
      Thread.currentThread().interrupt();
    }
    return new StateStoreException("ZooKeeper write failed: " + e, e);
  }
}
