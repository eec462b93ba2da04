package io.strata.allocator.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The advertised URL is an allocator's id in the election: two live allocators with the same one
 * would each take the other's redirects and leadership for its own. The second is refused; a
 * restarted allocator whose killed predecessor's session has not expired yet is not.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class HaAdvertiseUrlTest {
  static final Duration GENEROUS = HaFailoverTest.GENEROUS;

  @TempDir Path dir;

  private static TestingServer zookeeper() throws Exception {
    HaGroup.class.getName(); // its static block turns the ZooKeeper admin server off
    return new TestingServer(
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
            "127.0.0.1"),
        true);
  }

  @Test
  void aSecondAllocatorWithTheSameAdvertisedUrlExitsWithOneLineAndStatus2() throws Exception {
    try (TestingServer zk = zookeeper();
        HaGroup group = new HaGroup(dir, zk.getConnectString())) {
      AllocatorServer a = group.start("a");
      group.awaitLeader(List.of(a), GENEROUS);

      Path config = dir.resolve("b.yaml");
      Files.writeString(config, group.yaml("b", group.zookeeper, "advertiseUrl: " + a.uri()));
      Path out = dir.resolve("b.out");
      Path err = dir.resolve("b.err");
      String java = ProcessHandle.current().info().command().orElse("java");
      Process b =
          new ProcessBuilder(
                  java,
                  "-cp",
                  System.getProperty("java.class.path"),
                  "-Xmx256m",
                  AllocatorMain.class.getName(),
                  "--config",
                  config.toString())
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      try {
        assertThat(b.waitFor(120, TimeUnit.SECONDS)).as("exited; see " + out).isTrue();
      } finally {
        b.destroyForcibly();
      }
      assertThat(b.exitValue()).isEqualTo(2);
      assertThat(Files.readAllLines(err))
          .singleElement()
          .asString()
          .startsWith("strata allocator: another allocator already uses " + a.uri())
          .contains(group.root)
          .endsWith("give each allocator of the group its own advertiseUrl");

      // The first one never noticed.
      assertThat(group.leaderSeenBy(a).isLeader()).isTrue();
      assertThat(group.leaderSeenBy(a).epoch()).isEqualTo(1);
    }
  }

  @Test
  void aRestartedAllocatorWaitsForItsKilledPredecessorsSessionToEnd() throws Exception {
    String url = "http://127.0.0.1:1"; // only an id here: this allocator is alone
    try (TestingServer zk = zookeeper();
        HaGroup group = new HaGroup(dir, zk.getConnectString());
        CuratorFramework previous =
            CuratorFrameworkFactory.newClient(zk.getConnectString(), new RetryOneTime(200))) {
      // What a killed allocator leaves until its session expires: its election znode.
      previous.start();
      LeaderLatch latch = new LeaderLatch(previous, group.root + "/election", url);
      latch.start();
      await().atMost(GENEROUS).until(latch::hasLeadership);

      CompletableFuture<AllocatorServer> restarted =
          CompletableFuture.supplyAsync(
              () -> group.start(group.config("a", zk.getConnectString(), "advertiseUrl: " + url)));
      // Less than twice the session timeout: still waiting, neither refused nor started.
      Thread.sleep(HaGroup.SESSION_MILLIS / 3);
      assertThat(restarted).isNotDone();

      previous.close(); // the session ends
      AllocatorServer a = restarted.get(60, TimeUnit.SECONDS);
      group.awaitLeader(List.of(a), GENEROUS);
      assertThat(group.leaderSeenBy(a).self()).isEqualTo(url);
    }
  }
}
