package io.strata.api.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** zk:// addresses against a real ZooKeeper server on loopback, the epoch znode written here. */
class ZooKeeperAddressTest {
  private TestingServer zk;
  private CuratorFramework writer;
  private final List<FakeAllocator> servers = new CopyOnWriteArrayList<>();
  private final List<Duration> pauses = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    zk =
        new TestingServer(
            new InstanceSpec(null, -1, -1, -1, true, -1, -1, -1, Map.of(), "127.0.0.1"), true);
    writer = CuratorFrameworkFactory.newClient(zk.getConnectString(), new RetryOneTime(100));
    writer.start();
    writer.blockUntilConnected();
  }

  @AfterEach
  void stop() throws Exception {
    servers.forEach(FakeAllocator::close);
    writer.close();
    zk.close();
  }

  private FakeAllocator server(String name) throws Exception {
    FakeAllocator s = new FakeAllocator(name);
    servers.add(s);
    return s;
  }

  private void epoch(long n, String leader) throws Exception {
    byte[] data =
        ("{\"epoch\":"
                + n
                + ",\"leader\":"
                + (leader == null ? "null" : "\"" + leader + "\"")
                + "}")
            .getBytes(StandardCharsets.UTF_8);
    if (writer.checkExists().forPath("/strata/epoch") == null) {
      writer.create().creatingParentsIfNeeded().forPath("/strata/epoch", data);
    } else {
      writer.setData().forPath("/strata/epoch", data);
    }
  }

  private HttpTransport transport(AllocatorEndpoints endpoints) {
    return new HttpTransport(
        new Failover(
            endpoints,
            new Failover.Policy(5, 4, Duration.ofMillis(50), Duration.ofMillis(200)),
            pauses::add),
        "t0k",
        Duration.ofSeconds(10),
        null);
  }

  @Test
  void theLeaderIsReadFromTheEpochZnodeAndFollowedWhenItChanges() throws Exception {
    FakeAllocator a = server("A").lead();
    FakeAllocator b = server("B");
    b.standbyFor(a.uri().toString());
    epoch(1, a.uri().toString());
    try (AllocatorEndpoints endpoints =
        AllocatorEndpoints.parse("zk://" + zk.getConnectString() + "/strata")) {
      HttpTransport http = transport(endpoints);
      assertThat(http.send("POST", "/v1/x", Map.of("k", 1), String.class))
          .isEqualTo("A POST /v1/x {'k':1} Bearer t0k");

      // A dies; B claims epoch 2 and leads: the watch sees the new leader.
      a.close();
      b.lead();
      epoch(2, b.uri().toString());
      assertThat(http.send("POST", "/v1/y", Map.of("k", 2), String.class))
          .isEqualTo("B POST /v1/y {'k':2} Bearer t0k");
      assertThat(b.received).containsExactly("POST /v1/y {\"k\":2}");
    }
  }

  @Test
  void aDeadLeaderStillNamedMakesTheClientReadAgainUntilTheNewOneIsWritten() throws Exception {
    FakeAllocator a = server("A").lead();
    FakeAllocator b = server("B").lead();
    epoch(1, a.uri().toString());
    try (AllocatorEndpoints endpoints =
        AllocatorEndpoints.parse("zk://" + zk.getConnectString() + "/strata")) {
      HttpTransport http = transport(endpoints);
      assertThat(http.send("GET", "/v1/x", null, String.class)).startsWith("A GET");
      a.close();
      // The znode is rewritten while the client waits between its tries.
      Thread.ofVirtual()
          .start(
              () -> {
                try {
                  Thread.sleep(100);
                  epoch(2, b.uri().toString());
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      HttpTransport slow =
          new HttpTransport(
              new Failover(
                  endpoints,
                  new Failover.Policy(5, 20, Duration.ofMillis(50), Duration.ofMillis(50)),
                  d -> Thread.sleep(d)),
              "t0k",
              Duration.ofSeconds(10),
              null);
      assertThat(slow.send("GET", "/v1/x", null, String.class)).startsWith("B GET");
    }
  }

  @Test
  void noLeaderYetIsA503AfterTheAttempts() throws Exception {
    epoch(0, null);
    try (AllocatorEndpoints endpoints =
        AllocatorEndpoints.parse("zk://" + zk.getConnectString() + "/strata")) {
      assertThatThrownBy(() -> transport(endpoints).send("GET", "/v1/x", null, String.class))
          .isInstanceOfSatisfying(
              ApiException.class,
              e -> {
                assertThat(e.status()).isEqualTo(503);
                assertThat(e.getMessage()).contains("no allocator leads at the moment");
              });
      assertThat(pauses).hasSize(3);
    }
  }

  @Test
  void noEpochZnodeSaysNoAllocatorJoined() {
    try (AllocatorEndpoints endpoints =
        AllocatorEndpoints.parse("zk://" + zk.getConnectString() + "/elsewhere")) {
      assertThatThrownBy(endpoints::current)
          .hasMessageContaining("no allocator has joined yet (no znode /elsewhere/epoch)");
    }
  }

  @Test
  void aZnodeNamingNoUrlIsABadAnswer() throws Exception {
    epoch(3, "not a url");
    try (AllocatorEndpoints endpoints =
        AllocatorEndpoints.parse("zk://" + zk.getConnectString() + "/strata")) {
      assertThatThrownBy(() -> transport(endpoints).send("GET", "/v1/x", null, String.class))
          .isInstanceOfSatisfying(
              ApiException.class,
              e -> {
                assertThat(e.status()).isEqualTo(502);
                assertThat(e.getMessage()).contains("names a leader that is not a URL");
              });
    }
  }
}
