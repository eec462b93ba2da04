package io.strata.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.cli.Cli;
import io.strata.cli.client.Contexts;
import io.strata.provisioner.command.ProvisionCommand;
import io.strata.provisioner.core.NodeStatus;
import io.strata.provisioner.providers.local.LocalCluster;
import io.strata.provisioner.providers.local.LocalClusterSpec;
import io.strata.provisioner.providers.local.LocalProvider;
import io.strata.provisioner.state.StateStore;
import io.strata.testkit.Loopback;
import io.strata.testkit.RequiresCgroupV1;
import io.strata.testkit.RequiresRoot;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The provisioner's local cloud end to end, for real: {@code strata provision apply} on a {@code
 * cloud: local} spec starts the real allocator and 2 real Linux agents (the processes {@code strata
 * up} starts), waits until both registered, a job runs a task on the cluster, a re-apply changes
 * nothing, and {@code destroy} leaves no process behind. Every wait is a poll with a generous
 * limit.
 */
@RequiresRoot
@RequiresCgroupV1
class ProvisionLocalEndToEndTest {
  static final Duration LONG = Duration.ofMinutes(3);

  @TempDir Path tmp;
  Path data;

  @AfterEach
  void down() {
    if (data != null) {
      LocalCluster.down(data, Duration.ofSeconds(5), new LinuxAgentCleanup());
    }
  }

  private record Run(int code, String out, String err) {}

  private Run provision(IntFunction<LocalClusterSpec> launcher, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ProvisionCommand command =
        ProvisionCommand.standard(
                (spec, gate, secrets) ->
                    new LocalProvider(spec, launcher, line -> {}, new LinuxAgentCleanup()))
            .withStreams(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    int code = new CommandLine(command).execute(args);
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void provisionALocalClusterAndRunATaskOnIt() throws Exception {
    data = tmp.resolve("data");
    int port = Loopback.freePortBlock(64);
    IntFunction<LocalClusterSpec> launcher =
        agents ->
            new LocalClusterSpec(
                data,
                agents,
                1000,
                512L << 20,
                "127.0.0.1",
                port,
                port + 1,
                31000,
                1000,
                UpCommand.allocatorTemplate(),
                UpCommand.agentTemplate(),
                Duration.ofSeconds(180));
    Path spec = tmp.resolve("cluster.yaml");
    Files.writeString(
        spec,
        """
        name: e2e-local
        cloud: local
        allocator: {count: 1}
        pools: [{name: linux, os: linux, count: 2}]
        """);
    String state = tmp.resolve("state").toString();

    Run applied =
        provision(launcher, "apply", "-f", spec.toString(), "--auto-approve", "--state-dir", state);
    assertThat(applied.code()).as(applied.out() + applied.err()).isZero();
    assertThat(applied.out()).contains("e2e-local-linux-1 READY").contains("Apply complete.");
    var record = new StateStore(Path.of(state)).load("e2e-local").orElseThrow();
    assertThat(record.nodes().values()).allMatch(n -> n.status() == NodeStatus.READY);

    // A task runs on the provisioned cluster.
    Map<String, String> env =
        Map.of("STRATA_DATA_DIR", data.toString(), "STRATA_CONFIG", tmp.resolve("none").toString());
    new io.strata.cli.ClusterDiagnostics(env, data).runsAJob(tmp, "hello", LONG);

    Run again = provision(launcher, "plan", "-f", spec.toString(), "--state-dir", state);
    assertThat(again.out()).contains("No changes.");

    Run destroyed =
        provision(
            launcher, "destroy", "-f", spec.toString(), "--auto-approve", "--state-dir", state);
    assertThat(destroyed.code()).as(destroyed.out() + destroyed.err()).isZero();
    assertThat(LocalCluster.read(data)).isEmpty();
    assertThat(new StateStore(Path.of(state)).load("e2e-local")).isEmpty();
  }

  /**
   * Through {@code strata provision} as the CLI mounts it: the spec's {@code local.port} is the
   * allocator's, task ports are below the ephemeral range, and after apply {@code strata run} and
   * {@code strata jobs} reach the new cluster with no flag and no STRATA_URL or STRATA_DATA_DIR:
   * the apply made it the current context, and destroy forgets it.
   */
  @Test
  void theMountedCommandSetsThePortAndTheContext() throws Exception {
    data = tmp.resolve("mounted");
    int port = Loopback.freePortBlock(64);
    Map<String, String> env =
        Map.of(
            "STRATA_CONFIG",
            tmp.resolve("config").resolve("config.yaml").toString(),
            "STRATA_DATA_DIR",
            tmp.resolve("home").toString());
    Path spec = tmp.resolve("mounted.yaml");
    Files.writeString(
        spec,
        """
        name: e2e-mounted
        cloud: local
        local: {workDir: %s, port: %d}
        allocator: {count: 1}
        pools: [{name: linux, os: linux, count: 1}]
        """
            .formatted(data, port));
    String state = tmp.resolve("state").toString();

    Cli.Result refused = Cli.run(env, "provision", "apply", "-f", spec.toString());
    assertThat(refused.code()).as(refused.toString()).isEqualTo(2);
    assertThat(LocalCluster.read(data)).isEmpty();

    Cli.Result applied =
        Cli.run(
            env,
            "provision",
            "apply",
            "-f",
            spec.toString(),
            "-auto-approve",
            "--state-dir",
            state);
    assertThat(applied.code()).as(applied.toString()).isZero();
    var cluster = LocalCluster.read(data).orElseThrow();
    assertThat(cluster.url()).isEqualTo("http://127.0.0.1:" + port);
    for (var agent : cluster.agents()) {
      int last = Integer.parseInt(agent.taskPorts().substring(agent.taskPorts().indexOf('-') + 1));
      assertThat(last).as(agent.taskPorts()).isLessThan(31_000);
    }
    assertThat(Contexts.load(env).current()).isEqualTo("e2e-mounted");

    new io.strata.cli.ClusterDiagnostics(env, data).runsAJob(tmp, "hello", LONG);
    assertThat(
            Cli.run(
                    env,
                    "provision",
                    "plan",
                    "-f",
                    spec.toString(),
                    "-detailed-exitcode",
                    "--state-dir",
                    state)
                .code())
        .isZero();

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
    assertThat(Contexts.load(env).find("e2e-mounted")).isEmpty();
  }
}
