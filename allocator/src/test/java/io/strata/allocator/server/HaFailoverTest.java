package io.strata.allocator.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.strata.allocator.state.zk.ZooKeeperSettings;
import io.strata.allocator.state.zk.ZooKeeperStore;
import io.strata.api.FrameworkId;
import io.strata.api.Offer;
import io.strata.api.Resources;
import io.strata.api.TaskId;
import io.strata.api.TaskInfo;
import io.strata.api.TaskState;
import io.strata.api.TaskStatus;
import io.strata.api.agent.AgentMessage;
import io.strata.api.agent.ReportedTask;
import io.strata.api.json.Codec;
import io.strata.api.json.Problem;
import io.strata.api.operator.FrameworkView;
import io.strata.api.operator.LeaderView;
import io.strata.api.operator.TaskView;
import io.strata.api.scheduler.Operation;
import io.strata.api.scheduler.SchedulerEvent;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Three allocators on one real ZooKeeper ensemble (curator-test, 3 servers on 127.0.0.1), seen only
 * through HTTP: one leads, the others redirect to it; when it goes, another takes over with the
 * agents', frameworks' and tasks' state.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class HaFailoverTest {
  private static final Logger LOG = LoggerFactory.getLogger(HaFailoverTest.class);
  static final Duration GENEROUS = Duration.ofSeconds(60);
  static final int TICK_MILLIS = 400;

  @TempDir Path dir;

  static TestingCluster ensemble(int size) throws Exception {
    HaGroup.class.getName(); // its static block turns the ZooKeeper admin server off
    List<InstanceSpec> specs = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      specs.add(
          new InstanceSpec(null, -1, -1, -1, true, i + 1, TICK_MILLIS, -1, null, "127.0.0.1"));
    }
    TestingCluster cluster = new TestingCluster(specs);
    cluster.start();
    return cluster;
  }

  @Test
  void oneLeadsTheOthersRedirectAndAStandbyTakesOverWithTheState() throws Exception {
    try (TestingCluster zk = ensemble(3);
        HaGroup group = new HaGroup(dir, zk.getConnectString())) {
      // A participant that is elected first but never claims: no allocator leads meanwhile.
      var url = group.config("x").zookeeperUrl().orElseThrow();
      ZooKeeperStore blocker =
          new ZooKeeperStore(
              ZooKeeperSettings.of(url.connectString(), url.root(), "http://127.0.0.1:1")
                  .withTimeouts(Duration.ofSeconds(6), Duration.ofSeconds(6)));
      blocker.start();
      AllocatorServer a = group.start("a");
      AllocatorServer b = group.start("b");
      AllocatorServer c = group.start("c");

      for (AllocatorServer s : group.servers) {
        assertThat(group.get(s.uri(), "/health").statusCode()).isEqualTo(200);
        assertThat(group.get(s.uri(), "/health/leader").statusCode()).isEqualTo(503);
        LeaderView v = group.leaderSeenBy(s);
        assertThat(v.isLeader()).isFalse();
        assertThat(v.leader()).isNull();
        assertThat(v.self()).isEqualTo(s.uri().toString());
        HttpResponse<String> none = group.get(s.uri(), "/v1/state");
        assertThat(none.statusCode()).isEqualTo(503);
        assertThat(none.headers().firstValue("Retry-After")).contains("1");
        assertThat(none.headers().firstValue("Content-Type").orElse(""))
            .startsWith(Problem.MEDIA_TYPE);
        assertThat(Codec.JSON.decode(none.body().getBytes(), Problem.class).retryable()).isTrue();
      }
      blocker.close();

      AllocatorServer leader = group.awaitLeader(group.servers, GENEROUS);
      String leaderUrl = leader.uri().toString();
      await()
          .atMost(GENEROUS)
          .untilAsserted(
              () -> {
                for (AllocatorServer s : group.servers) {
                  LeaderView v = group.leaderSeenBy(s);
                  assertThat(v.leader()).isEqualTo(leaderUrl);
                  assertThat(v.isLeader()).isEqualTo(s == leader);
                  assertThat(v.epoch()).isEqualTo(1);
                }
              });
      for (AllocatorServer s : group.live(leader)) {
        HttpResponse<String> moved = group.get(s.uri(), "/v1/agents?limit=3&x=%2F");
        assertThat(moved.statusCode()).isEqualTo(307);
        assertThat(moved.headers().firstValue("Location"))
            .contains(leaderUrl + "/v1/agents?limit=3&x=%2F");
        Problem p = Codec.JSON.decode(moved.body().getBytes(), Problem.class);
        assertThat(p.status()).isEqualTo(307);
        assertThat(p.detail()).contains(leaderUrl);
        assertThat(group.get(s.uri(), "/health/leader").statusCode()).isEqualTo(503);
        assertThat(group.get(s.uri(), "/health").statusCode()).isEqualTo(200);
        assertThat(s.isLeader()).isFalse();
      }
      assertThat(group.get(leader.uri(), "/health/leader").statusCode()).isEqualTo(200);

      // An agent and a framework through the leader: a task acknowledged RUNNING, one not yet.
      FakeAgent agent =
          new FakeAgent(leader.uri(), TestAllocator.JOIN, "node-1", "cpus:4;mem:4096")
              .register()
              .connect();
      FakeFramework fw =
          new FakeFramework(leader.uri(), TestAllocator.WEB, "web-fw", java.util.Set.of("web"))
              .subscribe();
      FrameworkId fwId = fw.id();
      Offer offer = fw.awaitOffer("node-1");
      fw.client.accept(
          List.of(offer.id()),
          List.of(
              new Operation.Launch(
                  List.of(
                      TaskInfo.command(
                          TaskId.of("acked"), "sleep 1", Resources.parse("cpus:1;mem:256")),
                      TaskInfo.command(
                          TaskId.of("pending"), "sleep 1", Resources.parse("cpus:1;mem:256"))))),
          0L);
      agent.await(AgentMessage.RunTask.class, r -> r.task().taskId().value().equals("pending"));
      agent.send(fwId, TaskId.of("acked"), TaskState.RUNNING);
      fw.acknowledge(fw.awaitUpdate(TaskId.of("acked"), TaskState.RUNNING));
      agent.await(AgentMessage.Acknowledge.class, x -> x.taskId().value().equals("acked"));
      agent.send(fwId, TaskId.of("pending"), TaskState.RUNNING);
      TaskStatus unacked = fw.awaitUpdate(TaskId.of("pending"), TaskState.RUNNING);

      long before = System.nanoTime();
      leader.close();
      AllocatorServer next = group.awaitLeader(group.live(leader), GENEROUS);
      long tookMillis = (System.nanoTime() - before) / 1_000_000;
      LOG.info("failover: a standby led and served {} ms after the leader closed", tookMillis);
      System.out.println("HA failover (leader closed -> standby serving): " + tookMillis + " ms");
      // The agent's stream and the framework's subscription ended with the old leader.
      await().atMost(GENEROUS).until(() -> fw.closedByServer);
      fw.close();
      agent.close();

      assertThat(group.leaderSeenBy(next).epoch()).isEqualTo(2);
      await()
          .atMost(GENEROUS)
          .untilAsserted(
              () -> {
                for (AllocatorServer s : group.live(leader)) {
                  assertThat(group.leaderSeenBy(s).leader()).isEqualTo(next.uri().toString());
                }
              });
      var operator = new io.strata.api.client.OperatorClient(next.uri(), TestAllocator.ADMIN);
      assertThat(operator.tasks())
          .extracting(TaskView::state)
          .containsExactly(TaskState.RUNNING, TaskState.RUNNING);
      assertThat(operator.frameworks())
          .singleElement()
          .satisfies((FrameworkView f) -> assertThat(f.id()).isEqualTo(fwId));

      // The agent re-registers with its own credential, the framework re-subscribes with its id.
      FakeAgent back =
          new FakeAgent(next.uri(), TestAllocator.JOIN, "node-1", "cpus:4;mem:4096")
              .restartOf(agent);
      back.reregister(
          List.of(
              new ReportedTask(fwId, TaskId.of("acked"), TaskState.RUNNING),
              new ReportedTask(fwId, TaskId.of("pending"), TaskState.RUNNING)));
      back.connect();
      back.heartbeat();
      FakeFramework again =
          new FakeFramework(next.uri(), TestAllocator.WEB, "web-fw", java.util.Set.of("web"));
      again.info = fw.info;
      again.subscribe();
      assertThat(again.id()).isEqualTo(fwId);
      TaskStatus resent = again.awaitUpdate(TaskId.of("pending"), TaskState.RUNNING);
      assertThat(resent.uuid()).isEqualTo(unacked.uuid());
      assertThat(again.all(SchedulerEvent.Update.class))
          .noneMatch(u -> u.status().taskId().value().equals("acked"));
      assertThat(again.awaitOffer("node-1").resources().unreserved())
          .isEqualTo(Resources.parse("cpus:2;mem:3584"));
      again.acknowledge(resent);
      back.await(AgentMessage.Acknowledge.class, x -> x.uuid().equals(unacked.uuid()));
      assertThat(back.all(AgentMessage.KillTask.class)).isEmpty();
      again.close();
      back.close();
    }
  }
}
