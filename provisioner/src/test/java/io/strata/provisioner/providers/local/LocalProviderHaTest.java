package io.strata.provisioner.providers.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.api.Os;
import io.strata.api.json.Codec;
import io.strata.provisioner.cloud.TaggedResource;
import io.strata.provisioner.core.Machine;
import io.strata.provisioner.core.NodeRecord;
import io.strata.provisioner.core.NodeRole;
import io.strata.provisioner.core.NodeStatus;
import io.strata.provisioner.spec.ClusterSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local provider over an HA group's record ({@code allocator.count: 3}), with {@code sleep}
 * processes standing in for the allocators, ZooKeeper servers and an agent: what it lists, the URLs
 * it gives, what it refuses, and that scaling agents down keeps the group on record. The real group
 * runs in the cli module's {@code ProvisionLocalHaEndToEndTest}.
 */
class LocalProviderHaTest {
  @TempDir Path dir;
  final List<Process> sleeps = new ArrayList<>();

  @AfterEach
  void kill() {
    sleeps.forEach(Process::destroyForcibly);
  }

  private ClusterState.ProcessRecord sleep() throws IOException {
    Process p = new ProcessBuilder("sleep", "600").start();
    sleeps.add(p);
    return new ClusterState.ProcessRecord(
        p.pid(),
        Instant.now(),
        dir.resolve("log").toString(),
        List.of("sleep"),
        Processes.startTicks(p.pid()).orElse(null));
  }

  private LocalClusterSpec launcher(int agents) {
    return new LocalClusterSpec(
        dir,
        agents,
        500,
        64L << 20,
        "127.0.0.1",
        7000,
        7003,
        31000,
        100,
        ProcessTemplate.of("allocator"),
        ProcessTemplate.of("agent"),
        Duration.ofSeconds(5),
        new LocalClusterSpec.Ha(3, 3, 7070, ProcessTemplate.of("zookeeper")));
  }

  private static ClusterSpec spec(int allocators) {
    return ClusterSpec.parse(
        """
        name: local-ha
        cloud: local
        allocator: {count: %d}
        pools: [{name: linux, os: linux, count: 1}]
        """
            .formatted(allocators));
  }

  private LocalProvider provider(int allocators) {
    return new LocalProvider(spec(allocators), this::launcher, line -> {}, LocalFixture.NO_CGROUPS);
  }

  /** A running HA group of 3 allocators, 3 ZooKeeper servers and one agent, recorded. */
  private ClusterState recordGroup() throws IOException {
    List<ClusterState.ServerRecord> allocators = new ArrayList<>();
    List<ClusterState.ServerRecord> zookeepers = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      allocators.add(
          new ClusterState.ServerRecord(i, launcher(1).allocatorUrl(i), dir.toString(), sleep()));
      zookeepers.add(
          new ClusterState.ServerRecord(i, "127.0.0.1:" + (7070 + i), dir.toString(), sleep()));
    }
    ClusterState.AgentRecord agent =
        new ClusterState.AgentRecord(
            1, "host-a1", dir.resolve("a1").toString(), "cg/a1", 7004, "31000-31099", sleep());
    ClusterState state =
        new ClusterState(
            launcher(1).url(),
            "admin",
            "join",
            dir.resolve("logs").toString(),
            "cg",
            null,
            List.of(agent),
            allocators,
            zookeepers,
            "zk://127.0.0.1:7071,127.0.0.1:7072,127.0.0.1:7073/strata");
    Files.write(dir.resolve(LocalCluster.STATE_FILE), Codec.JSON.encodeBytes(state));
    return state;
  }

  private static NodeRecord node(NodeRole role, int index) {
    Machine m =
        new Machine(
            "ha-" + role.name().toLowerCase() + "-" + index,
            role,
            role == NodeRole.AGENT ? "linux" : null,
            index,
            Os.LINUX,
            null,
            null,
            0,
            Map.of(),
            false);
    return new NodeRecord(m, NodeStatus.READY, Map.of(), "127.0.0.1", null, null);
  }

  @Test
  void eachAllocatorHasItsOwnUrlOnLoopback() {
    LocalProvider provider = provider(3);
    for (int i = 0; i < 3; i++) {
      NodeRecord a = node(NodeRole.ALLOCATOR, i);
      assertThat(provider.plannedAddress(a.machine())).isEqualTo("127.0.0.1");
      assertThat(provider.allocatorEndpoint(a, 5050)).isEqualTo("http://127.0.0.1:" + (7000 + i));
      assertThat(provider.operatorEndpoint(a, 5050)).isEqualTo("http://127.0.0.1:" + (7000 + i));
    }
    assertThat(provider.plannedAddress(node(NodeRole.AGENT, 0).machine())).isNull();
  }

  @Test
  void taggedListsTheAllocatorsAndTheZooKeeperServers() throws IOException {
    recordGroup();
    assertThat(provider(3).tagged().stream().map(TaggedResource::name))
        .containsExactlyInAnyOrder(
            "allocator-1",
            "allocator-2",
            "allocator-3",
            "zookeeper-1",
            "zookeeper-2",
            "zookeeper-3",
            "host-a1");
  }

  @Test
  void theAllocatorCountOfARunningGroupCannotChange() throws IOException {
    recordGroup();
    assertThat(provider(3).preflight(List.of())).isEmpty();
    assertThat(provider(1).preflight(List.of()))
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .startsWith("allocator.count: ")
        .contains("runs 3 allocator(s), the spec asks for 1");
    assertThat(provider(5).preflight(List.of())).hasSize(1);
  }

  @Test
  void aStoppedGroupMayComeBackWithAnotherCount() throws IOException {
    recordGroup();
    sleeps.forEach(Process::destroyForcibly);
    for (Process p : sleeps) {
      p.onExit().join();
    }
    assertThat(provider(1).preflight(List.of())).isEmpty();
  }

  @Test
  void scalingAgentsDownKeepsTheGroupOnRecord() throws IOException {
    ClusterState before = recordGroup();
    provider(3).deleteNode(node(NodeRole.AGENT, 0));
    ClusterState after = LocalCluster.read(dir).orElseThrow();
    assertThat(after.agents()).isEmpty();
    assertThat(after.allocators()).isEqualTo(before.allocators());
    assertThat(after.zookeepers()).isEqualTo(before.zookeepers());
    assertThat(after.zookeeper()).isEqualTo(before.zookeeper());
  }

  @Test
  void deletingAnAllocatorStopsTheWholeGroup() throws IOException {
    recordGroup();
    provider(3).deleteNode(node(NodeRole.ALLOCATOR, 1));
    for (Process p : sleeps) {
      assertThat(p.onExit().orTimeout(30, java.util.concurrent.TimeUnit.SECONDS).join().isAlive())
          .isFalse();
    }
    assertThat(LocalCluster.read(dir)).isEmpty();
    assertThat(provider(3).tagged()).isEmpty();
  }
}
