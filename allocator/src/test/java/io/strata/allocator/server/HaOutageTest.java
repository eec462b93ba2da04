package io.strata.allocator.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.strata.api.client.ApiException;
import io.strata.api.client.OperatorClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An HA group when ZooKeeper turns against its leader: the leader's session expires (it is fenced
 * and steps down), or the ensemble loses its quorum (nobody accepts writes until it is back).
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class HaOutageTest {
  static final Duration GENEROUS = HaFailoverTest.GENEROUS;

  @TempDir Path dir;

  private static List<String> hostnames(AllocatorServer s) {
    return new OperatorClient(s.uri(), TestAllocator.ADMIN)
        .agents().stream().map(a -> a.info().hostname()).toList();
  }

  /** Registers a new agent; returns the status (200, or the refusal's). */
  private static int register(AllocatorServer s, String hostname) {
    try {
      new FakeAgent(s.uri(), TestAllocator.JOIN, hostname, "cpus:1;mem:128").register();
      return 200;
    } catch (ApiException e) {
      return e.status();
    } catch (RuntimeException e) {
      return 0; // no answer (the connection failed)
    }
  }

  @Test
  void aLeaderWhoseSessionExpiredIsFencedStepsDownAndRejoinsAsAStandby() throws Exception {
    HaGroup.class.getName();
    InstanceSpec spec =
        new InstanceSpec(
            null,
            -1,
            -1,
            -1,
            true,
            -1,
            HaFailoverTest.TICK_MILLIS,
            -1,
            Map.of("clientPortAddress", "127.0.0.1"),
            "127.0.0.1");
    try (TestingServer zk = new TestingServer(spec, true);
        HaGroup group = new HaGroup(dir, zk.getConnectString());
        CuratorFramework raw =
            CuratorFrameworkFactory.newClient(zk.getConnectString(), new RetryOneTime(200))) {
      raw.start();
      AllocatorServer a = group.start("a");
      group.awaitLeader(List.of(a), GENEROUS);
      AllocatorServer b = group.start("b");
      await()
          .atMost(GENEROUS)
          .until(() -> a.uri().toString().equals(group.leaderSeenBy(b).leader()));
      assertThat(register(a, "acknowledged")).isEqualTo(200);

      // What ZooKeeper does when a paused or cut-off leader's session expires: its election
      // znode goes. The leader has not noticed; b is elected and claims the next epoch.
      String election = group.config("a").zookeeperUrl().orElseThrow().root() + "/election";
      for (String child : raw.getChildren().forPath(election)) {
        byte[] id = raw.getData().forPath(election + "/" + child);
        if (new String(id, StandardCharsets.UTF_8).equals(a.uri().toString())) {
          raw.delete().forPath(election + "/" + child);
        }
      }
      group.awaitLeader(List.of(b), GENEROUS);
      assertThat(group.leaderSeenBy(b).epoch()).isEqualTo(2);

      // a's next write is refused by the fence: never acknowledged, never in the state.
      int late = register(a, "late");
      assertThat(late).isIn(503, 307);
      await()
          .atMost(GENEROUS)
          .untilAsserted(
              () -> {
                assertThat(group.leaderSeenBy(a).isLeader()).isFalse();
                assertThat(group.leaderSeenBy(a).leader()).isEqualTo(b.uri().toString());
                HttpResponse<String> moved = group.get(a.uri(), "/v1/agents");
                assertThat(moved.statusCode()).isEqualTo(307);
                assertThat(moved.headers().firstValue("Location")).contains(b.uri() + "/v1/agents");
              });
      assertThat(a.healthy()).isTrue();
      assertThat(hostnames(b)).containsExactly("acknowledged");

      // a is a working standby again: with b gone it takes over, with the state.
      b.close();
      group.awaitLeader(List.of(a), GENEROUS);
      assertThat(group.leaderSeenBy(a).epoch()).isEqualTo(3);
      assertThat(hostnames(a)).containsExactly("acknowledged");
      assertThat(register(a, "after")).isEqualTo(200);
    }
  }

  @Test
  void withoutAQuorumNoAllocatorAcceptsWritesAndWithItBackNothingIsLost() throws Exception {
    try (TestingCluster zk = HaFailoverTest.ensemble(3);
        HaGroup group = new HaGroup(dir, zk.getConnectString())) {
      group.start("a");
      group.start("b");
      AllocatorServer leader = group.awaitLeader(group.servers, GENEROUS);
      assertThat(register(leader, "before")).isEqualTo(200);

      List<InstanceSpec> specs = new ArrayList<>(zk.getInstances());
      long killed = System.nanoTime();
      zk.killServer(specs.get(0));
      zk.killServer(specs.get(1));
      // Cut off from a quorum, no allocator names a leader, not even from its last view of the
      // election: the deposed leader and the standbys all answer 503, none redirects (a redirect
      // to an allocator that cannot lead either, or to itself, sent clients in circles). Each
      // learns it at the SUSPENDED event: well within a session timeout.
      await()
          .atMost(GENEROUS)
          .pollInterval(Duration.ofMillis(100))
          .untilAsserted(
              () -> {
                for (AllocatorServer s : group.servers) {
                  assertThat(group.leaderSeenBy(s).isLeader()).isFalse();
                  assertThat(group.leaderSeenBy(s).leader()).isNull();
                  assertThat(group.get(s.uri(), "/health/leader").statusCode()).isEqualTo(503);
                }
              });
      long noLeaderMillis = (System.nanoTime() - killed) / 1_000_000;
      System.out.println(
          "HA quorum lost: no allocator leads or names a leader "
              + noLeaderMillis
              + " ms after 2 of 3 servers were killed");
      assertThat(noLeaderMillis).isLessThan(HaGroup.SESSION_MILLIS);
      // For a while (longer than a session), every write is refused everywhere with a 503; all
      // stay alive.
      long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(HaGroup.SESSION_MILLIS);
      int attempt = 0;
      while (System.nanoTime() < until) {
        for (AllocatorServer s : group.servers) {
          assertThat(register(s, "refused-" + attempt++)).isEqualTo(503);
          HttpResponse<String> refused = group.get(s.uri(), "/v1/agents");
          assertThat(refused.statusCode()).isEqualTo(503);
          assertThat(refused.headers().firstValue("Retry-After")).contains("1");
          assertThat(group.leaderSeenBy(s).leader()).isNull();
          assertThat(group.get(s.uri(), "/health").statusCode()).isEqualTo(200);
        }
        Thread.sleep(250);
      }

      long back = System.nanoTime();
      zk.restartServer(specs.get(0));
      zk.restartServer(specs.get(1));
      AllocatorServer next = group.awaitLeader(group.servers, Duration.ofSeconds(120));
      System.out.println(
          "HA quorum back: a leader serves "
              + (System.nanoTime() - back) / 1_000_000
              + " ms after the servers restarted");
      assertThat(hostnames(next)).containsExactly("before");
      assertThat(register(next, "after")).isEqualTo(200);
      assertThat(hostnames(next)).containsExactlyInAnyOrder("before", "after");
    }
  }
}
