package io.strata.allocator.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.strata.api.FrameworkId;
import io.strata.api.FrameworkInfo;
import io.strata.api.client.AllocatorEndpoints;
import io.strata.api.client.HttpTransport;
import io.strata.api.client.NdjsonStream;
import io.strata.api.client.SchedulerClient;
import io.strata.api.operator.ClusterState;
import io.strata.api.scheduler.SchedulerEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The api's clients against real allocators of one HA group (ZooKeeper on 127.0.0.1): given a list
 * with the standby first, or the group's zk:// address, they reach the leader; when it goes, the
 * same clients reach the new one, and a framework re-subscribes there with its id.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class HaClientsTest {
  @TempDir Path dir;

  private record Subscription(FrameworkId id, NdjsonStream<SchedulerEvent> stream) {}

  private static Subscription subscribe(SchedulerClient client, FrameworkId id) {
    List<SchedulerEvent> events = new CopyOnWriteArrayList<>();
    NdjsonStream<SchedulerEvent> stream =
        client.subscribe(
            new FrameworkInfo(
                id, "ha-client", "nobody", Set.of("web"), Set.of(), 600_000L, Map.of()),
            new NdjsonStream.Listener<>() {
              @Override
              public void event(SchedulerEvent event) {
                events.add(event);
              }

              @Override
              public void closed(Optional<Throwable> cause) {}
            });
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> events.stream().anyMatch(SchedulerEvent.Subscribed.class::isInstance));
    return new Subscription(client.frameworkId(), stream);
  }

  @Test
  void listAndZooKeeperClientsFollowTheLeaderThroughAFailover() throws Exception {
    HaGroup.class.getName(); // no ZooKeeper admin server
    try (TestingServer zk =
            new TestingServer(
                new InstanceSpec(null, -1, -1, -1, true, -1, -1, -1, Map.of(), "127.0.0.1"), true);
        HaGroup group = new HaGroup(dir, zk.getConnectString())) {
      AllocatorServer a = group.start("a");
      AllocatorServer b = group.start("b");
      AllocatorServer leader = group.awaitLeader(List.of(a, b), Duration.ofSeconds(60));
      AllocatorServer standby = leader == a ? b : a;

      try (AllocatorEndpoints list = AllocatorEndpoints.parse(standby.uri() + "," + leader.uri());
          AllocatorEndpoints viaZk = AllocatorEndpoints.parse(group.zookeeper)) {
        HttpTransport byList =
            new HttpTransport(list, TestAllocator.ADMIN, Duration.ofSeconds(10), null);
        HttpTransport byZk =
            new HttpTransport(viaZk, TestAllocator.ADMIN, Duration.ofSeconds(10), null);
        assertThat(byList.send("GET", "/v1/state", null, ClusterState.class)).isNotNull();
        assertThat(byList.base()).isEqualTo(leader.uri());
        assertThat(byZk.send("GET", "/v1/state", null, ClusterState.class)).isNotNull();
        assertThat(byZk.base()).isEqualTo(leader.uri());

        // A framework subscribes through the standby (307 to the leader).
        SchedulerClient framework = new SchedulerClient(list, TestAllocator.WEB, null);
        Subscription first = subscribe(framework, null);

        leader.close();
        AllocatorServer next = group.awaitLeader(List.of(standby), Duration.ofSeconds(60));

        // The same clients, nothing re-configured: the list skips the dead allocator, zk:// reads
        // the new leader from the epoch znode.
        assertThat(byList.send("GET", "/v1/state", null, ClusterState.class)).isNotNull();
        assertThat(byList.base()).isEqualTo(next.uri());
        assertThat(byZk.send("GET", "/v1/state", null, ClusterState.class)).isNotNull();
        assertThat(byZk.base()).isEqualTo(next.uri());

        // The framework re-subscribes as itself at the new leader.
        first.stream().close();
        SchedulerClient again = new SchedulerClient(list, TestAllocator.WEB, null);
        Subscription second = subscribe(again, first.id());
        assertThat(second.id()).isEqualTo(first.id());
        second.stream().close();
      }
    }
  }
}
