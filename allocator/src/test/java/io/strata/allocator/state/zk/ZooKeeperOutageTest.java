package io.strata.allocator.state.zk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.strata.allocator.state.StateEvent;
import io.strata.allocator.state.StateEvents;
import io.strata.allocator.state.StateSnapshot;
import io.strata.allocator.state.StateStoreException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** ZooKeeper going away under a leader: its quorum, or its connection. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ZooKeeperOutageTest {

  private static List<StateEvent> upsert(String agent) {
    return List.of(new StateEvent.AgentUpserted(StateEvents.agent(agent)));
  }

  private static List<String> agentIds(StateSnapshot s) {
    return s.agents().stream().map(a -> a.id().value()).toList();
  }

  @Test
  void withoutAQuorumNoWriteSucceedsAndWithItBackNothingIsLost() throws Exception {
    try (TestingCluster cluster = ZooKeeperServers.cluster(3)) {
      cluster.start();
      String connect = cluster.getConnectString();
      String root = ZooKeeperServers.newRoot();
      ZooKeeperStore a = new ZooKeeperStore(ZooKeeperServers.settingsAt(connect, root, "a"));
      a.recover();
      List<CompletableFuture<Void>> acked = new ArrayList<>();
      List<String> acknowledged = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        acked.add(a.append(upsert("before" + i)));
        acknowledged.add("before" + i);
      }
      acked.forEach(CompletableFuture::join);

      List<InstanceSpec> specs = new ArrayList<>(cluster.getInstances());
      cluster.killServer(specs.get(0));
      cluster.killServer(specs.get(1));
      CompletableFuture<Void> during = a.append(upsert("during"));
      await().atMost(Duration.ofSeconds(30)).until(during::isDone);
      assertThat(during).isCompletedExceptionally();
      assertThat(a.accepting()).isFalse();
      assertThat(a.append(upsert("refused"))).isCompletedExceptionally();

      cluster.restartServer(specs.get(0));
      cluster.restartServer(specs.get(1));
      a.close();
      List<String> recovered;
      try (ZooKeeperStore b = new ZooKeeperStore(ZooKeeperServers.settingsAt(connect, root, "b"))) {
        recovered = agentIds(b.recover());
        // Every acknowledged batch; the one in flight at the kill has an unknown outcome (the
        // servers may not have stopped yet), so it may or may not be there; nothing refused is.
        assertThat(recovered)
            .containsAll(acknowledged)
            .doesNotContain("refused")
            .hasSizeBetween(20, 21);
        b.append(upsert("after")).join();
      }
      try (ZooKeeperStore c = new ZooKeeperStore(ZooKeeperServers.settingsAt(connect, root, "c"))) {
        assertThat(agentIds(c.recover())).containsAll(recovered).contains("after");
      }
    }
  }

  @Test
  void aLeaderThatLosesItsConnectionStopsWritingBeforeItsSessionCouldExpire() throws Exception {
    try (TestingServer server = ZooKeeperServers.single()) {
      String root = ZooKeeperServers.newRoot();
      ZooKeeperStore a =
          new ZooKeeperStore(ZooKeeperServers.settingsAt(server.getConnectString(), root, "a"));
      a.recover();
      a.append(upsert("a1")).join();
      server.stop();
      // The session could expire SESSION after the connection was lost: writing stops before.
      await().atMost(ZooKeeperServers.SESSION).until(() -> !a.accepting());
      CompletableFuture<Void> refused = a.append(upsert("a2"));
      assertThat(refused).isCompletedExceptionally();
      assertThat(refused.exceptionNow())
          .isInstanceOf(StateStoreException.class)
          // Curator's LeaderLatch may report the lost leadership before the connection listener.
          .hasMessageMatching(".*(connection to ZooKeeper is suspended|no longer the leader).*");

      server.restart();
      // The connection is back, but the store stays stopped: a new one must take over.
      Thread.sleep(500);
      assertThat(a.accepting()).isFalse();
      a.close();
      try (ZooKeeperStore b =
          new ZooKeeperStore(ZooKeeperServers.settingsAt(server.getConnectString(), root, "b"))) {
        assertThat(agentIds(b.recover())).containsExactly("a1");
      }
    }
  }
}
