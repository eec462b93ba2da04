package io.strata.allocator.state.zk;

import io.strata.allocator.state.StateStore;
import io.strata.allocator.state.StateStoreContract;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** The ZooKeeper store keeps every promise of the state store SPI, against a real server. */
class ZooKeeperStoreContractTest extends StateStoreContract {
  private static TestingServer server;
  private static CuratorFramework raw;
  private String root;

  @BeforeAll
  static void startServer() throws Exception {
    server = ZooKeeperServers.single();
    raw = ZooKeeperServers.client(server.getConnectString());
  }

  @AfterAll
  static void stopServer() throws Exception {
    raw.close();
    server.close();
  }

  @BeforeEach
  void freshRoot() {
    root = ZooKeeperServers.newRoot();
  }

  @Override
  protected StateStore open(int snapshotEvery) {
    return new ZooKeeperStore(
        ZooKeeperServers.settingsAt(server.getConnectString(), root, "allocator-1")
            .withSnapshotEvery(snapshotEvery));
  }

  /** A leader that died between the chunks of a big record and its manifest. */
  @Override
  protected void tearNextWrite() throws Exception {
    ZkLayout layout = new ZkLayout(root);
    long next =
        raw.getChildren().forPath(layout.log).stream()
                .mapToLong(ZkLayout::recordSeq)
                .max()
                .orElse(0)
            + 1;
    raw.create().forPath(layout.recordChunk(next, 999, 0), new byte[1000]);
    raw.create().forPath(layout.recordChunk(next, 999, 1), new byte[10]);
  }

  @Override
  protected void damageFirstRecord() throws Exception {
    raw.setData().forPath(new ZkLayout(root).record(1), "not a record".getBytes());
  }
}
