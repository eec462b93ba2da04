package io.strata.provisioner.providers.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ensemble's configuration and how a server's answer to {@code srvr} is read. */
class ZooKeeperEnsembleTest {
  final ZooKeeperEnsemble ensemble =
      new ZooKeeperEnsemble(Path.of("/d/zookeeper"), "127.0.0.1", 3, 5150);

  @Test
  void everyServerBindsLoopbackOnlyWithTheAdminServerOffAndItsOwnDataDir() {
    String config = ensemble.config(2);

    assertThat(config.lines())
        .contains(
            "dataDir=/d/zookeeper/zk2/data",
            "clientPort=5152",
            "clientPortAddress=127.0.0.1",
            "admin.enableServer=false",
            "4lw.commands.whitelist=srvr,ruok",
            "server.1=127.0.0.1:5161:5171",
            "server.2=127.0.0.1:5162:5172",
            "server.3=127.0.0.1:5163:5173");
    assertThat(ensemble.ports(3)).containsExactly(5153, 5163, 5173);
    assertThat(ensemble.connectString()).isEqualTo("127.0.0.1:5151,127.0.0.1:5152,127.0.0.1:5153");
  }

  @Test
  void aServerServesOnlyAsLeaderOrFollower() {
    assertThat(
            ZooKeeperEnsemble.parseMode("Zookeeper version: 3.9.5\nMode: leader\nNode count: 5\n"))
        .contains("leader");
    assertThat(ZooKeeperEnsemble.parseMode("Latency min/avg/max: 0/0/0\nMode: follower\n"))
        .contains("follower");
    assertThat(
            ZooKeeperEnsemble.parseMode(
                "This ZooKeeper instance is not currently serving requests\n"))
        .isEmpty();
    assertThat(ZooKeeperEnsemble.parseMode("Mode: looking\n")).isEmpty();
  }

  @Test
  void nothingListeningIsNoAnswer() throws Exception {
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    assertThat(ZooKeeperEnsemble.srvr("127.0.0.1", port)).isEmpty();
  }

  @Test
  void anHaClusterIsReachedAtEveryAllocator() {
    ProcessTemplate t = ProcessTemplate.of("true");
    LocalClusterSpec spec =
        new LocalClusterSpec(
            Path.of("/d"),
            1,
            1000,
            1L << 30,
            "127.0.0.1",
            5050,
            5053,
            31000,
            500,
            t,
            t,
            Duration.ofSeconds(5),
            new LocalClusterSpec.Ha(3, 3, 5150, t));

    assertThat(List.of(spec.url().split(",")))
        .containsExactly("http://127.0.0.1:5050", "http://127.0.0.1:5051", "http://127.0.0.1:5052");
    assertThat(new LocalHa(spec, Path.of("/d")).zookeeperUrl())
        .isEqualTo("zk://127.0.0.1:5151,127.0.0.1:5152,127.0.0.1:5153/strata");
  }
}
