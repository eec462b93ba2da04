package io.strata.allocator.state.zk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.strata.allocator.state.DurableState;
import io.strata.allocator.state.StateEvent;
import io.strata.allocator.state.StateEvents;
import io.strata.allocator.state.StateSnapshot;
import io.strata.allocator.state.StateStoreException;
import io.strata.api.FrameworkId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.KeeperException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What only the ZooKeeper store does: fencing, standbys, chunks, against a real server. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ZooKeeperStoreTest {
  private static TestingServer server;
  private static CuratorFramework raw;

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

  private static List<StateEvent> upsert(String agent) {
    return List.of(new StateEvent.AgentUpserted(StateEvents.agent(agent)));
  }

  private static List<String> agentIds(StateSnapshot s) {
    return s.agents().stream().map(a -> a.id().value()).toList();
  }

  private static ZooKeeperStore store(String root, String id, int snapshotEvery) {
    return new ZooKeeperStore(
        ZooKeeperServers.settingsAt(server.getConnectString(), root, id)
            .withSnapshotEvery(snapshotEvery));
  }

  /**
   * What the server does when a leader's session expires while the leader is paused or cut off: its
   * election znode goes. The paused leader has not noticed yet.
   */
  static void expireInElection(CuratorFramework raw, String root, String id) throws Exception {
    String election = new ZkLayout(root).election;
    for (String child : raw.getChildren().forPath(election)) {
      String path = election + "/" + child;
      if (id.equals(new String(raw.getData().forPath(path), StandardCharsets.UTF_8))) {
        raw.delete().forPath(path);
      }
    }
  }

  @Test
  void aDeposedLeadersWriteIsRefusedByTheFenceAndNothingForks() throws Exception {
    String root = ZooKeeperServers.newRoot();
    try (ZooKeeperStore a = store(root, "a", 1000);
        ZooKeeperStore b = store(root, "b", 1000)) {
      a.recover();
      a.append(upsert("a1")).join();
      b.start();
      expireInElection(raw, root, "a");
      assertThat(b.recover().agents()).hasSize(1);
      assertThat(b.epoch()).isEqualTo(a.epoch() + 1);
      assertThat(a.accepting()).as("the deposed leader has not noticed").isTrue();

      CompletableFuture<Void> late = a.append(upsert("forked"));
      assertThatThrownBy(late::join)
          .isInstanceOf(CompletionException.class)
          .cause()
          .isInstanceOf(StateStoreException.class)
          .hasMessageContaining("fenced: another allocator has claimed leadership")
          .hasRootCauseInstanceOf(KeeperException.BadVersionException.class);
      assertThat(a.accepting()).isFalse();
      assertThat(a.append(upsert("later"))).isCompletedExceptionally();

      b.append(upsert("b1")).join();
      assertThat(b.position()).isEqualTo(2);
    }
    try (ZooKeeperStore c = store(root, "c", 1000)) {
      assertThat(agentIds(c.recover())).containsExactly("a1", "b1");
    }
  }

  @Test
  void aStandbyTailsTheLeaderAcrossCompactionsAndTakesOverWithoutReplay() throws Exception {
    String root = ZooKeeperServers.newRoot();
    DurableState expected = new DurableState();
    List<List<StateEvent>> batches =
        io.strata.allocator.state.StateStoreContract.scriptedBatches(120);
    try (ZooKeeperStore leader = store(root, "leader", 10);
        ZooKeeperStore standby = store(root, "standby", 10)) {
      leader.recover();
      // Half before the standby starts (compacted away by then), half while it tails.
      for (List<StateEvent> b : batches.subList(0, 60)) {
        b.forEach(expected::apply);
        leader.append(b).join();
      }
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> raw.getChildren().forPath(new ZkLayout(root).log).size() < 60);
      standby.start();
      List<CompletableFuture<Void>> futures = new ArrayList<>();
      for (List<StateEvent> b : batches.subList(60, 120)) {
        b.forEach(expected::apply);
        futures.add(leader.append(b));
      }
      futures.forEach(CompletableFuture::join);
      await().atMost(Duration.ofSeconds(20)).until(() -> standby.position() == leader.position());
      assertThat(standby.replicaState()).isEqualTo(expected.snapshot());
      assertThat(leader.replicaState()).isEqualTo(expected.snapshot());

      leader.close();
      assertThat(standby.recover()).isEqualTo(expected.snapshot());
      assertThat(standby.caughtUpAtTakeover()).as("records read at takeover").isZero();
      standby.append(upsert("after")).join();
    }
  }

  @Test
  void aSnapshotOfSeveralMegabytesIsChunkedBelowJuteMaxbuffer() throws Exception {
    String root = ZooKeeperServers.newRoot();
    ZkLayout layout = new ZkLayout(root);
    DurableState expected = new DurableState();
    String blob = "y".repeat(4000);
    try (ZooKeeperStore s = store(root, "a", 50)) {
      s.recover();
      List<StateEvent> fw = List.of(new StateEvent.FrameworkUpserted(StateEvents.framework("f1")));
      fw.forEach(expected::apply);
      s.append(fw).join();
      // 49 more records of 25 entries of ~4 KB: ~5 MB of state, then the snapshot at record 50.
      for (int r = 0; r < 49; r++) {
        List<StateEvent> batch = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
          batch.add(
              new StateEvent.StorePut(
                  FrameworkId.of("f1"),
                  "k" + r + "-" + i,
                  JsonNodeFactory.instance.objectNode().put("blob", blob + r + i)));
        }
        batch.forEach(expected::apply);
        s.append(batch).join();
      }
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> !raw.getChildren().forPath(layout.snapshots).isEmpty());
    }
    List<String> chunks = raw.getChildren().forPath(layout.snapshotChunks);
    assertThat(chunks).hasSizeGreaterThanOrEqualTo(9);
    for (String c : chunks) {
      assertThat(raw.checkExists().forPath(layout.snapshotChunks + "/" + c).getDataLength())
          .isLessThanOrEqualTo(ZooKeeperSettings.DEFAULT_CHUNK_BYTES);
    }
    assertThat(raw.getChildren().forPath(layout.log)).as("compacted").isEmpty();
    try (ZooKeeperStore s = store(root, "b", 50)) {
      assertThat(s.recover()).isEqualTo(expected.snapshot());
    }
  }

  @Test
  void aBigBatchIsOneRecordInChunksAndSmallOnesShareATransaction() throws Exception {
    String root = ZooKeeperServers.newRoot();
    ZkLayout layout = new ZkLayout(root);
    List<StateEvent> big = new ArrayList<>();
    big.add(new StateEvent.FrameworkUpserted(StateEvents.framework("f1")));
    for (int i = 0; i < 2500; i++) {
      big.add(
          new StateEvent.StorePut(
              FrameworkId.of("f1"),
              "k" + i,
              JsonNodeFactory.instance.objectNode().put("blob", "z".repeat(1000))));
    }
    try (ZooKeeperStore s = store(root, "a", 1000)) {
      s.recover();
      s.append(big).join();
      List<CompletableFuture<Void>> small = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        small.add(s.append(upsert("a" + i)));
      }
      small.forEach(CompletableFuture::join);
    }
    assertThat(raw.getChildren().forPath(layout.log)).hasSize(201);
    assertThat(raw.getChildren().forPath(layout.chunks)).hasSizeGreaterThanOrEqualTo(5);
    assertThat(raw.getData().forPath(layout.record(1))[0]).isEqualTo(ZkCodec.MANIFEST);
    // Records created by one multi-op share its zxid: queued appends were committed together.
    java.util.Set<Long> transactions = new java.util.HashSet<>();
    for (long seq = 2; seq <= 201; seq++) {
      transactions.add(raw.checkExists().forPath(layout.record(seq)).getCzxid());
    }
    assertThat(transactions).hasSizeLessThan(100);
    try (ZooKeeperStore s = store(root, "b", 1000)) {
      StateSnapshot back = s.recover();
      assertThat(back.store()).hasSize(2500);
      assertThat(back.agents()).hasSize(200);
    }
  }

  @Test
  void compactionCountsRecordsNotCommits() throws Exception {
    // 300 appends queued at once are committed in a few multi-ops; every 50 records still get
    // compacted, so the log stays short enough to list (see ZooKeeperSettings.MAX_SNAPSHOT_EVERY).
    String root = ZooKeeperServers.newRoot();
    ZkLayout layout = new ZkLayout(root);
    try (ZooKeeperStore s = store(root, "a", 50)) {
      s.recover();
      List<CompletableFuture<Void>> futures = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        futures.add(s.append(upsert("a" + i)));
      }
      futures.forEach(CompletableFuture::join);
      s.append(upsert("last")).join();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> !raw.getChildren().forPath(layout.snapshots).isEmpty());
    }
    assertThat(raw.getChildren().forPath(layout.log).size()).isLessThan(300);
    try (ZooKeeperStore s = store(root, "b", 50)) {
      assertThat(s.recover().agents()).hasSize(301);
    }
  }

  @Test
  void zooKeeperRefusesAZnodeLargerThanJuteMaxbuffer() throws Exception {
    // Why records and snapshots are chunked: one 2 MB znode cannot be written at all. (Its own
    // client: the refusal costs the connection.)
    String path = ZooKeeperServers.newRoot();
    try (CuratorFramework c = ZooKeeperServers.client(server.getConnectString())) {
      assertThatThrownBy(() -> c.create().forPath(path, new byte[2 << 20]))
          .isInstanceOf(Exception.class);
      assertThat(raw.checkExists().forPath(path)).isNull();
    }
  }
}
