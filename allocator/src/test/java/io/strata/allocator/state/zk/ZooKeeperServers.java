package io.strata.allocator.state.zk;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.apache.curator.test.TestingServer;

/**
 * Real ZooKeeper servers in this JVM (curator-test), bound to 127.0.0.1 only, with a short tick so
 * that sessions (and the tests that lose them) stay short: sessions may last 400 ms to 8 s; tests
 * use 6 s, long enough for a loaded 2-core machine.
 */
final class ZooKeeperServers {
  static final int TICK_MILLIS = 400;
  static final Duration SESSION = Duration.ofSeconds(6);
  private static final AtomicInteger ROOTS = new AtomicInteger();

  static {
    // No admin HTTP server (it would listen on every interface).
    System.setProperty("zookeeper.admin.enableServer", "false");
  }

  private ZooKeeperServers() {}

  static TestingServer single() throws Exception {
    InstanceSpec spec =
        new InstanceSpec(
            null,
            -1,
            -1,
            -1,
            true,
            -1,
            TICK_MILLIS,
            -1,
            Map.of("clientPortAddress", "127.0.0.1"),
            "127.0.0.1");
    return new TestingServer(spec, true);
  }

  static TestingCluster cluster(int size) {
    List<InstanceSpec> specs = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      specs.add(
          new InstanceSpec(null, -1, -1, -1, true, i + 1, TICK_MILLIS, -1, null, "127.0.0.1"));
    }
    return new TestingCluster(specs);
  }

  /** Settings for a store under a root no other test uses. */
  static ZooKeeperSettings settings(String connectString, String id) {
    return settingsAt(connectString, newRoot(), id);
  }

  static String newRoot() {
    return "/strata-test-" + ROOTS.incrementAndGet();
  }

  static ZooKeeperSettings settingsAt(String connectString, String root, String id) {
    return ZooKeeperSettings.of(connectString, root, id).withTimeouts(SESSION, SESSION);
  }

  /** A plain client for looking at (or damaging) what a store wrote. */
  static CuratorFramework client(String connectString) throws InterruptedException {
    CuratorFramework c =
        CuratorFrameworkFactory.builder()
            .connectString(connectString)
            .sessionTimeoutMs((int) SESSION.toMillis())
            .connectionTimeoutMs((int) SESSION.toMillis())
            .retryPolicy(new RetryOneTime(200))
            .build();
    c.start();
    c.blockUntilConnected();
    return c;
  }
}
