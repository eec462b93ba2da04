package io.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.cli.client.Contexts;
import io.strata.cli.commands.LinuxAgentCleanup;
import io.strata.provisioner.core.NodeStatus;
import io.strata.provisioner.providers.local.ClusterState;
import io.strata.provisioner.providers.local.ClusterState.ServerRecord;
import io.strata.provisioner.providers.local.LocalCluster;
import io.strata.provisioner.state.StateStore;
import io.strata.testkit.Loopback;
import io.strata.testkit.RequiresCgroupV1;
import io.strata.testkit.RequiresRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code allocator.count: 3} and {@code 5} on the provisioner's local cloud, for real, through
 * {@code strata provision} as the CLI mounts it: apply starts a 3-server ZooKeeper ensemble, the
 * allocators and 2 real agents (cgroups); the agents join; the context the apply writes lists every
 * allocator, so after {@code kill -9} of the leading allocator {@code strata} still works, against
 * the new leader; a re-apply with {@code count: 1} is refused (the count of a running local cluster
 * cannot change); {@code destroy} stops every process, the ZooKeeper servers included.
 */
@RequiresRoot
@RequiresCgroupV1
class ProvisionLocalHaEndToEndTest {
  static final Duration LONG = Duration.ofMinutes(3);

  @TempDir Path tmp;
  Path data;

  @AfterEach
  void down() {
    if (data != null) {
      LocalCluster.down(data, Duration.ofSeconds(5), new LinuxAgentCleanup());
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {3, 5})
  void theGroupSurvivesTheLeadersDeathAndDestroyStopsEverything(int count) throws Exception {
    data = tmp.resolve("cluster");
    // Allocators PORT..+count-1, agents above them, ZooKeeper +71..+93: the slot's 100 ports.
    int port = Loopback.freePortBlock(100);
    Map<String, String> env =
        Map.of(
            "STRATA_CONFIG",
            tmp.resolve("config").resolve("config.yaml").toString(),
            "STRATA_DATA_DIR",
            tmp.resolve("home").toString());
    Path spec = tmp.resolve("ha.yaml");
    Files.writeString(
        spec,
        """
        name: e2e-local-ha
        cloud: local
        local: {workDir: %s, port: %d}
        allocator: {count: %d}
        pools: [{name: linux, os: linux, count: 2}]
        """
            .formatted(data, port, count));
    String state = tmp.resolve("state").toString();

    Cli.Result applied =
        Cli.run(
            env,
            "provision",
            "apply",
            "-f",
            spec.toString(),
            "--auto-approve",
            "--state-dir",
            state);
    assertThat(applied.code()).as(applied.toString()).isZero();
    var record = new StateStore(Path.of(state)).load("e2e-local-ha").orElseThrow();
    assertThat(record.nodes().values())
        .hasSize(count + 2)
        .allMatch(n -> n.status() == NodeStatus.READY);
    ClusterState cluster = LocalCluster.read(data).orElseThrow();
    assertThat(cluster.zookeepers()).hasSize(3);
    assertThat(cluster.allocators()).hasSize(count);
    assertThat(cluster.agents()).hasSize(2);
    List<Long> pids = HaEndToEndTest.pids(cluster);
    assertThat(pids).doesNotHaveDuplicates().hasSize(3 + count + 2);
    assertThat(pids).allMatch(ProvisionLocalHaEndToEndTest::alive);

    // The context lists every allocator.
    assertThat(Contexts.load(env).current()).isEqualTo("e2e-local-ha");
    String url = Contexts.load(env).find("e2e-local-ha").orElseThrow().url();
    assertThat(url.split(","))
        .containsExactly(
            java.util.stream.IntStream.range(0, count)
                .mapToObj(i -> "http://127.0.0.1:" + (port + i))
                .toArray(String[]::new));

    Cli.Result nodes = Cli.run(env, "nodes");
    assertThat(nodes.code()).as(nodes.toString()).isZero();
    for (var agent : cluster.agents()) {
      assertThat(nodes.out()).contains(agent.hostname());
    }
    new ClusterDiagnostics(env, data).runsAJob(tmp, "before", LONG);

    // kill -9 of the leader: another leads, and strata works with the same context.
    ServerRecord leader = HaEndToEndTest.leader(cluster);
    ProcessHandle.of(leader.process().pid()).orElseThrow().destroyForcibly();
    new ClusterDiagnostics(env, data)
        .until(
            "another allocator leads",
            LONG,
            () -> {
              Optional<String> now = LocalCluster.leader(cluster);
              return now.isPresent() && !now.get().equals(leader.address());
            });
    for (String command : List.of("nodes", "apps", "ps")) {
      Cli.Result r = Cli.run(env, command);
      assertThat(r.code()).as(command + ": " + r).isZero();
    }
    new ClusterDiagnostics(env, data).runsAJob(tmp, "after", LONG);

    // The allocator count of the running cluster cannot change: refused, nothing stopped.
    Path single = tmp.resolve("single.yaml");
    Files.writeString(single, Files.readString(spec).replace("count: " + count, "count: 1"));
    Cli.Result changed =
        Cli.run(
            env,
            "provision",
            "apply",
            "-f",
            single.toString(),
            "--auto-approve",
            "--state-dir",
            state);
    assertThat(changed.code()).as(changed.toString()).isEqualTo(2);
    // (The message, naming allocator.count, goes to the provisioner's own stderr.)
    assertThat(LocalCluster.read(data).orElseThrow().allocators()).hasSize(count);
    assertThat(LocalCluster.leader(cluster)).isPresent();

    Cli.Result destroyed =
        Cli.run(
            env,
            "provision",
            "destroy",
            "-f",
            spec.toString(),
            "--auto-approve",
            "--state-dir",
            state);
    assertThat(destroyed.code()).as(destroyed.toString()).isZero();
    assertThat(LocalCluster.read(data)).isEmpty();
    assertThat(Contexts.load(env).find("e2e-local-ha")).isEmpty();
    assertThat(pids).noneMatch(ProvisionLocalHaEndToEndTest::alive);
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }
}
