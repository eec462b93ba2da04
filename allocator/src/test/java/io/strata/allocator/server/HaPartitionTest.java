package io.strata.allocator.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.strata.api.FrameworkId;
import io.strata.api.Offer;
import io.strata.api.Resources;
import io.strata.api.TaskId;
import io.strata.api.TaskInfo;
import io.strata.api.TaskState;
import io.strata.api.agent.AgentMessage;
import io.strata.api.agent.ReportedTask;
import io.strata.api.client.AllocatorEndpoints;
import io.strata.api.client.OperatorClient;
import io.strata.api.operator.JoinTokenRequest;
import io.strata.api.operator.JoinTokenView;
import io.strata.api.operator.LeaderView;
import io.strata.api.operator.TaskView;
import io.strata.api.scheduler.Operation;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The leader partitioned from ZooKeeper at the socket level: three allocators on a real 3-server
 * ensemble, each reaching every server only through loopback {@link TcpProxy}s the test controls.
 * Cutting the leader's proxies (packets dropped, or connections reset) must make it stop writing
 * before its session can expire, i.e. before another allocator can be elected and claim the next
 * epoch; the other takes over with every acknowledged write, agents and frameworks move to it, the
 * cut-off leader refuses what reaches it and nothing it was asked after the cut appears; healed, it
 * rejoins as a standby that redirects to the new leader.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class HaPartitionTest {
  static final Duration GENEROUS = HaFailoverTest.GENEROUS;

  @TempDir Path dir;

  @Test
  void aLeaderWhosePacketsAreDroppedStepsDownBeforeItsSessionExpires() throws Exception {
    partition(TcpProxy::cut);
  }

  @Test
  void aLeaderWhoseConnectionsAreResetStepsDownBeforeItsSessionExpires() throws Exception {
    partition(TcpProxy::reset);
  }

  private void partition(Consumer<TcpProxy> cut) throws Exception {
    List<TcpProxy> allProxies = new ArrayList<>();
    try (TestingCluster zk = HaFailoverTest.ensemble(3);
        CuratorFramework raw =
            CuratorFrameworkFactory.newClient(zk.getConnectString(), new RetryOneTime(200))) {
      raw.start();
      try (HaGroup group = new HaGroup(dir, zk.getConnectString())) {
        Map<AllocatorServer, List<TcpProxy>> proxies = startBehindProxies(group, zk, allProxies);
        AllocatorServer old = group.awaitLeader(group.servers, GENEROUS);
        List<AllocatorServer> standbys = group.live(old);
        await()
            .atMost(GENEROUS)
            .untilAsserted(
                () -> {
                  for (AllocatorServer s : standbys) {
                    assertThat(group.leaderSeenBy(s).leader()).isEqualTo(old.uri().toString());
                  }
                });

        // An agent and a framework on the leader, a task RUNNING and acknowledged.
        FakeAgent agent =
            new FakeAgent(old.uri(), TestAllocator.JOIN, "node-1", "cpus:4;mem:4096")
                .register()
                .connect();
        FakeFramework fw =
            new FakeFramework(old.uri(), TestAllocator.WEB, "web-fw", Set.of("web")).subscribe();
        FrameworkId fwId = fw.id();
        Offer offer = fw.awaitOffer("node-1");
        fw.client.accept(
            List.of(offer.id()),
            List.of(
                new Operation.Launch(
                    List.of(
                        TaskInfo.command(
                            TaskId.of("web-1"), "sleep 1", Resources.parse("cpus:1;mem:256"))))),
            0L);
        agent.await(AgentMessage.RunTask.class, r -> r.task().taskId().value().equals("web-1"));
        agent.send(fwId, TaskId.of("web-1"), TaskState.RUNNING);
        fw.acknowledge(fw.awaitUpdate(TaskId.of("web-1"), TaskState.RUNNING));

        // Writes without pause through a client of the three addresses (as the CLI's): which were
        // acknowledged, by whichever allocator, is recorded.
        String everyone =
            group.servers.stream().map(s -> s.uri().toString()).collect(Collectors.joining(","));
        List<String> acknowledged = new CopyOnWriteArrayList<>();
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread writer =
            Thread.ofPlatform()
                .name("partition-writer")
                .start(
                    () -> {
                      try (AllocatorEndpoints endpoints = AllocatorEndpoints.parse(everyone)) {
                        OperatorClient operator =
                            new OperatorClient(endpoints, TestAllocator.ADMIN, null);
                        for (int i = 0; writing.get(); i++) {
                          try {
                            operator.issueJoinToken(new JoinTokenRequest(3600L, "w-" + i));
                            acknowledged.add("w-" + i);
                          } catch (RuntimeException e) {
                            // not acknowledged: it may or may not have been applied
                          }
                          sleep(20);
                        }
                      }
                    });
        await().atMost(GENEROUS).until(() -> acknowledged.size() >= 5);

        // When the leader stops leading, seen from inside (its term and store), every 2 ms.
        AtomicLong stoppedAt = new AtomicLong();
        Thread watcher =
            Thread.ofPlatform()
                .daemon()
                .start(
                    () -> {
                      while (old.isLeader()) {
                        sleep(2);
                      }
                      stoppedAt.set(System.currentTimeMillis());
                    });

        // A client of the leader named in ZooKeeper (zk://), as the CLI and agents may be given.
        AllocatorEndpoints viaZk =
            AllocatorEndpoints.parse("zk://" + zk.getConnectString() + group.root);
        OperatorClient viaZkOperator = new OperatorClient(viaZk, TestAllocator.ADMIN, null);
        assertThat(descriptions(viaZkOperator)).isNotEmpty();
        assertThat(viaZk.current()).hasToString(old.uri().toString());

        long cutAt = System.currentTimeMillis();
        proxies.get(old).forEach(cut);
        // A write arriving just after the cut: its append, if any, is in flight when it happens.
        CompletableFuture<HttpResponse<String>> inFlight = postJoinToken(group, old, "in-flight");

        AllocatorServer next = group.awaitLeader(standbys, GENEROUS);
        watcher.join(GENEROUS.toMillis());
        Stat claim = new Stat();
        String epoch =
            new String(
                raw.getData().storingStatIn(claim).forPath(group.root + "/epoch"),
                StandardCharsets.UTF_8);
        assertThat(epoch).contains("\"epoch\":2").contains(next.uri().toString());
        long stoppedAfter = stoppedAt.get() - cutAt;
        long claimedAfter = claim.getMtime() - cutAt;
        System.out.println(
            "HA partition: the cut-off leader stopped "
                + stoppedAfter
                + " ms after the cut; the new leader claimed epoch 2 "
                + claimedAfter
                + " ms after it (session timeout "
                + HaGroup.SESSION_MILLIS
                + " ms)");
        // Cut off, its session could only end by expiring, a session timeout after the server last
        // heard from it (its pings come every third of a session): a claim much sooner means it
        // reached ZooKeeper around the proxies (as Curator's ensemble tracker once made it do).
        assertThat(claimedAfter).isGreaterThan(HaGroup.SESSION_MILLIS / 2);
        // It stopped before its session could expire, hence before anyone else could lead.
        assertThat(stoppedAt.get()).isPositive();
        assertThat(stoppedAfter).isLessThan(HaGroup.SESSION_MILLIS);
        assertThat(stoppedAt.get()).isLessThanOrEqualTo(claim.getMtime());

        // Still cut off and after the claim: it knows no leader and refuses every write.
        LeaderView seen = group.leaderSeenBy(old);
        assertThat(seen.isLeader()).isFalse();
        assertThat(seen.leader()).isNull();
        HttpResponse<String> late = postJoinToken(group, old, "late").get(60, TimeUnit.SECONDS);
        assertThat(late.statusCode()).isEqualTo(503);
        assertThat(late.headers().firstValue("Retry-After")).contains("1");
        assertThat(inFlight.get(60, TimeUnit.SECONDS).statusCode()).isIn(503, 307);
        assertThat(group.get(old.uri(), "/health/leader").statusCode()).isEqualTo(503);
        assertThat(group.get(next.uri(), "/health/leader").statusCode()).isEqualTo(200);
        for (AllocatorServer s : group.live(old, next)) {
          assertThat(group.get(s.uri(), "/health/leader").statusCode()).isEqualTo(503);
        }

        // The agent and the framework lost their streams with the old term; they come back on
        // the new leader as themselves, and the task is still running there.
        await().atMost(GENEROUS).until(() -> fw.closedByServer);
        fw.close();
        agent.close();
        FakeAgent back =
            new FakeAgent(next.uri(), TestAllocator.JOIN, "node-1", "cpus:4;mem:4096")
                .restartOf(agent);
        back.reregister(List.of(new ReportedTask(fwId, TaskId.of("web-1"), TaskState.RUNNING)));
        back.connect();
        back.heartbeat();
        FakeFramework again =
            new FakeFramework(next.uri(), TestAllocator.WEB, "web-fw", Set.of("web"));
        again.info = fw.info;
        again.subscribe();
        assertThat(again.id()).isEqualTo(fwId);
        OperatorClient operator = new OperatorClient(next.uri(), TestAllocator.ADMIN);
        assertThat(operator.tasks())
            .singleElement()
            .satisfies((TaskView t) -> assertThat(t.state()).isEqualTo(TaskState.RUNNING));
        assertThat(back.all(AgentMessage.KillTask.class)).isEmpty();

        // The list client kept writing: it reached the new leader.
        int soFar = acknowledged.size();
        await().atMost(GENEROUS).until(() -> acknowledged.size() >= soFar + 5);
        writing.set(false);
        writer.join(GENEROUS.toMillis());

        // Nothing acknowledged lost; nothing the cut-off leader was asked after the cut applied.
        assertThat(descriptions(operator))
            .containsAll(acknowledged)
            .doesNotContain("late", "in-flight");
        // The zk:// client that reached the old leader before the cut reaches the new one.
        assertThat(descriptions(viaZkOperator)).containsAll(acknowledged);
        assertThat(viaZk.current()).hasToString(next.uri().toString());
        viaZk.close();

        // Healed: the old leader rejoins as a standby and redirects to the new one.
        proxies.get(old).forEach(TcpProxy::heal);
        await()
            .atMost(GENEROUS)
            .untilAsserted(
                () -> {
                  LeaderView v = group.leaderSeenBy(old);
                  assertThat(v.isLeader()).isFalse();
                  assertThat(v.leader()).isEqualTo(next.uri().toString());
                  HttpResponse<String> moved = group.get(old.uri(), "/v1/agents");
                  assertThat(moved.statusCode()).isEqualTo(307);
                  assertThat(moved.headers().firstValue("Location"))
                      .contains(next.uri() + "/v1/agents");
                });
        assertThat(group.get(old.uri(), "/health/leader").statusCode()).isEqualTo(503);
        assertThat(group.get(next.uri(), "/health/leader").statusCode()).isEqualTo(200);
        assertThat(group.leaderSeenBy(next).epoch()).isEqualTo(2);
        assertThat(descriptions(operator)).doesNotContain("late", "in-flight");
        again.close();
        back.close();
      }
    } finally {
      allProxies.forEach(TcpProxy::close);
    }
  }

  /**
   * A deposed leader's append still on its way to ZooKeeper when another allocator claims the next
   * epoch (held in the network, then delivered on the old leader's live session): the fence, a
   * version check of the epoch znode in the same transaction, refuses it whole. The old leader's
   * place in the election is removed by hand, as ZooKeeper does when a session expires, so that its
   * session and connection live on: with 20 s sessions it cannot be suspended (after 2/3 of that)
   * before the write is answered, so the refusal can only be the fence's.
   */
  @Test
  void aDeposedLeadersAppendDeliveredAfterTheNextClaimIsRefusedByTheFence() throws Exception {
    long session = 20_000;
    List<TcpProxy> allProxies = new ArrayList<>();
    try (TestingCluster zk = ensemble(3, session);
        CuratorFramework raw =
            CuratorFrameworkFactory.newClient(zk.getConnectString(), new RetryOneTime(200))) {
      raw.start();
      try (HaGroup group = new HaGroup(dir, zk.getConnectString())) {
        group.sessionMillis = session;
        Map<AllocatorServer, List<TcpProxy>> proxies = startBehindProxies(group, zk, allProxies);
        AllocatorServer old = group.awaitLeader(group.servers, GENEROUS);
        List<AllocatorServer> standbys = group.live(old);
        assertThat(postJoinToken(group, old, "before").get(60, TimeUnit.SECONDS).statusCode())
            .isBetween(200, 299);

        long heldAt = System.nanoTime();
        proxies.get(old).forEach(TcpProxy::hold);
        CompletableFuture<HttpResponse<String>> held = postJoinToken(group, old, "held");
        await()
            .atMost(GENEROUS)
            .until(() -> proxies.get(old).stream().mapToInt(TcpProxy::heldTowardsTarget).sum() > 0);

        // Its place in the election goes; another allocator is elected and claims epoch 2 while
        // the old leader's append is still on its way.
        String election = group.root + "/election";
        for (String child : raw.getChildren().forPath(election)) {
          byte[] id = raw.getData().forPath(election + "/" + child);
          if (new String(id, StandardCharsets.UTF_8).equals(old.uri().toString())) {
            raw.delete().forPath(election + "/" + child);
          }
        }
        AllocatorServer next = group.awaitLeader(standbys, GENEROUS);
        assertThat(new String(raw.getData().forPath(group.root + "/epoch"), StandardCharsets.UTF_8))
            .contains("\"epoch\":2")
            .contains(next.uri().toString());
        assertThat(held).isNotDone();

        proxies.get(old).forEach(TcpProxy::release);
        HttpResponse<String> refused = held.get(60, TimeUnit.SECONDS);
        long answeredMillis = (System.nanoTime() - heldAt) / 1_000_000;
        System.out.println(
            "HA fence: the deposed leader's held append was refused "
                + answeredMillis
                + " ms after it was sent (session timeout "
                + session
                + " ms)");
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(answeredMillis).isLessThan(session * 2 / 3);

        // The old leader steps down and redirects; the refused write is nowhere.
        await()
            .atMost(GENEROUS)
            .untilAsserted(
                () -> {
                  assertThat(group.leaderSeenBy(old).leader()).isEqualTo(next.uri().toString());
                  assertThat(group.get(old.uri(), "/v1/agents").statusCode()).isEqualTo(307);
                });
        OperatorClient operator = new OperatorClient(next.uri(), TestAllocator.ADMIN);
        assertThat(descriptions(operator)).contains("before").doesNotContain("held");
      }
    } finally {
      allProxies.forEach(TcpProxy::close);
    }
  }

  /** A 3-server ensemble on 127.0.0.1 that grants sessions up to {@code maxSessionMillis}. */
  private static TestingCluster ensemble(int size, long maxSessionMillis) throws Exception {
    HaGroup.class.getName(); // its static block turns the ZooKeeper admin server off
    List<InstanceSpec> specs = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      specs.add(
          new InstanceSpec(
              null,
              -1,
              -1,
              -1,
              true,
              i + 1,
              HaFailoverTest.TICK_MILLIS,
              -1,
              Map.of("maxSessionTimeout", Long.toString(maxSessionMillis)),
              "127.0.0.1"));
    }
    TestingCluster cluster = new TestingCluster(specs);
    cluster.start();
    return cluster;
  }

  /** Starts allocators a, b and c, each reaching every server through proxies of its own. */
  private static Map<AllocatorServer, List<TcpProxy>> startBehindProxies(
      HaGroup group, TestingCluster zk, List<TcpProxy> all) {
    Map<AllocatorServer, List<TcpProxy>> proxies = new HashMap<>();
    for (String name : List.of("a", "b", "c")) {
      List<TcpProxy> own = zk.getInstances().stream().map(i -> new TcpProxy(i.getPort())).toList();
      all.addAll(own);
      String connect = own.stream().map(TcpProxy::address).collect(Collectors.joining(","));
      proxies.put(group.start(group.config(name, connect)), own);
    }
    return proxies;
  }

  private static CompletableFuture<HttpResponse<String>> postJoinToken(
      HaGroup group, AllocatorServer s, String description) {
    HttpRequest post =
        HttpRequest.newBuilder(URI.create(s.uri() + "/v1/join-tokens"))
            .timeout(Duration.ofSeconds(60))
            .header("Authorization", "Bearer " + TestAllocator.ADMIN)
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"ttlSeconds\":3600,\"description\":\"" + description + "\"}"))
            .build();
    return group.http.sendAsync(post, HttpResponse.BodyHandlers.ofString());
  }

  private static List<String> descriptions(OperatorClient operator) {
    return operator.joinTokens().stream().map(JoinTokenView::description).toList();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
