package io.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.strata.allocator.server.config.AllocatorConfig;
import io.strata.api.FrameworkId;
import io.strata.api.client.OperatorClient;
import io.strata.api.operator.FrameworkView;
import io.strata.api.operator.LeaderView;
import io.strata.cli.inprocess.InProcess;
import io.strata.workloads.jobs.JobsFramework;
import io.strata.workloads.services.ServicesFramework;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built-in frameworks in an HA group (two {@code strata allocator} processes' worth, in this
 * JVM, on a real ZooKeeper server): they run on the leader only, and after a failover the new
 * leader runs them as the same frameworks, so their tasks and stores carry on.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class HaBuiltInFrameworksTest {
  static final String ADMIN = "admin-token-0123456789";
  static final Duration GENEROUS = Duration.ofSeconds(60);

  @TempDir Path tmp;

  static {
    System.setProperty("zookeeper.admin.enableServer", "false");
  }

  private AllocatorConfig config(String zookeeper, String name) {
    return AllocatorConfig.parse(
        "dataDir: "
            + tmp.resolve(name)
            + "\nhost: 127.0.0.1\nport: 0\njoinToken: join-token-0123456789\n"
            + "tokenKeyFile: "
            + tmp.resolve("token-key")
            + "\nzookeeper: "
            + zookeeper
            + "\nzookeeperSessionTimeoutMillis: 6000\n"
            + "principals:\n  - {name: admin, token: "
            + ADMIN
            + ", operator: true}\n");
  }

  private static LeaderView leaderSeenBy(InProcess p) {
    try (java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient()) {
      byte[] body =
          http.send(
                  java.net.http.HttpRequest.newBuilder(p.server().uri().resolve("/v1/leader"))
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.ofByteArray())
              .body();
      return io.strata.api.json.Codec.JSON.decode(body, LeaderView.class);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The built-in frameworks the leader's state holds, by name, once both are connected. */
  private static Map<String, FrameworkId> connectedBuiltIns(InProcess leader) {
    List<FrameworkView> all = new OperatorClient(leader.server().uri(), ADMIN).frameworks();
    assertThat(all).allMatch(FrameworkView::connected);
    assertThat(all)
        .extracting(f -> f.info().name())
        .containsExactlyInAnyOrder(ServicesFramework.NAME, JobsFramework.NAME);
    return all.stream().collect(Collectors.toMap(f -> f.info().name(), FrameworkView::id));
  }

  @Test
  void theBuiltInFrameworksRunOnTheLeaderOnlyAndFailOverAsThemselves() throws Exception {
    byte[] key = new byte[32];
    new java.security.SecureRandom().nextBytes(key);
    Files.writeString(tmp.resolve("token-key"), Base64.getEncoder().encodeToString(key));
    InstanceSpec spec =
        new InstanceSpec(
            null,
            -1,
            -1,
            -1,
            true,
            -1,
            400,
            -1,
            Map.of("clientPortAddress", "127.0.0.1"),
            "127.0.0.1");
    List<InProcess> group = new ArrayList<>();
    try (TestingServer zk = new TestingServer(spec, true)) {
      String url = "zk://" + zk.getConnectString() + "/strata";
      group.add(InProcess.start(config(url, "a"), true));
      group.add(InProcess.start(config(url, "b"), true));
      InProcess first =
          await()
              .atMost(GENEROUS)
              .until(
                  () -> group.stream().filter(p -> leaderSeenBy(p).isLeader()).toList(),
                  l -> l.size() == 1)
              .get(0);
      InProcess standby = group.get(group.get(0) == first ? 1 : 0);
      Map<String, FrameworkId> ids =
          await()
              .atMost(GENEROUS)
              .ignoreExceptions()
              .until(() -> connectedBuiltIns(first), m -> true);
      assertThat(first.workloads()).isNotNull();
      assertThat(standby.workloads()).as("no frameworks on a standby").isNull();

      first.close();
      await().atMost(GENEROUS).until(() -> leaderSeenBy(standby).isLeader());
      assertThat(standby.workloads()).isNotNull();
      // The same two frameworks, connected again: no new ones, none left disconnected.
      await()
          .atMost(GENEROUS)
          .ignoreExceptions()
          .untilAsserted(() -> assertThat(connectedBuiltIns(standby)).isEqualTo(ids));
      assertThat(ids.keySet()).isEqualTo(Set.of(ServicesFramework.NAME, JobsFramework.NAME));
    } finally {
      group.forEach(InProcess::close);
    }
  }
}
