package io.strata.agent.windows.container;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import io.strata.agent.containerizer.ContainerCheckpoint;
import io.strata.agent.containerizer.ContainerId;
import io.strata.agent.containerizer.ExecResult;
import io.strata.agent.containerizer.LaunchResult;
import io.strata.agent.containerizer.LaunchSpec;
import io.strata.agent.containerizer.Recovered;
import io.strata.agent.containerizer.Termination;
import io.strata.agent.windows.plan.ContainerPlan;
import io.strata.api.CommandInfo;
import io.strata.api.ContainerInfo;
import io.strata.api.FrameworkId;
import io.strata.api.Reason;
import io.strata.api.Resources;
import io.strata.api.TaskId;
import io.strata.api.TaskInfo;
import io.strata.testkit.RequiresDocker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The docker-java executor of Windows containers, run against the Docker engine this machine has (a
 * Linux one: the isolation stays the engine's, shell commands use /bin/sh). Everything but the
 * isolation and the named pipe is the code path Windows uses.
 */
@RequiresDocker
@io.strata.testkit.RequiresBusybox
class WindowsContainersOnDockerTest {
  static final String IMAGE = "strata-test/busybox:latest";

  @TempDir Path work;
  DockerClient docker;
  WindowsContainers containers;

  @BeforeAll
  static void image() throws Exception {
    BusyboxImage.ensure(IMAGE);
  }

  @BeforeEach
  void open() {
    docker = client();
    containers = new WindowsContainers(client(), Clock.systemUTC());
  }

  static DockerClient client() {
    return WindowsContainers.client("unix://" + io.strata.testkit.Environment.dockerSocket());
  }

  @AfterEach
  void close() throws Exception {
    containers.close();
    docker.close();
  }

  LaunchSpec spec(CommandInfo command, ContainerInfo container) throws Exception {
    TaskInfo task =
        new TaskInfo(
            TaskId.of("wc-" + UUID.randomUUID().toString().substring(0, 8)),
            null,
            command,
            container,
            Resources.of(500, 64L << 20),
            null,
            null,
            Map.of("GREETING", "hello from a container"),
            null,
            null,
            null,
            null);
    ContainerId id = ContainerId.forTask(task.taskId(), UUID.randomUUID());
    Path sandbox = Files.createDirectories(work.resolve(id.value()));
    return new LaunchSpec(
        id,
        FrameworkId.of("f"),
        task,
        "root",
        sandbox,
        sandbox.resolve("stdout"),
        sandbox.resolve("stderr"),
        Map.of("GREETING", "hello from a container"));
  }

  ContainerCheckpoint launch(LaunchSpec spec) {
    LaunchResult r = containers.launch(spec);
    assertThat(r).isInstanceOf(LaunchResult.Launched.class);
    return ((LaunchResult.Launched) r).checkpoint();
  }

  Termination end(WindowsContainers c, ContainerId id) throws Exception {
    return c.wait(id).get(60, TimeUnit.SECONDS);
  }

  @Test
  void runsWithItsLimitsLabelsAndOutputInTheSandbox() throws Exception {
    LaunchSpec spec =
        spec(CommandInfo.shell("echo $GREETING; sleep 1; exit 3"), ContainerInfo.of(IMAGE));
    ContainerCheckpoint cp = launch(spec);

    InspectContainerResponse inspect = docker.inspectContainerCmd(cp.handle()).exec();
    assertThat(inspect.getHostConfig().getMemory()).isEqualTo(64L << 20);
    assertThat(inspect.getHostConfig().getNanoCPUs()).isEqualTo(500_000_000L);
    assertThat(inspect.getHostConfig().getNetworkMode()).isEqualTo("none");
    assertThat(inspect.getConfig().getLabels())
        .containsEntry(ContainerPlan.LABEL_CONTAINER, spec.containerId().value())
        .containsEntry(ContainerPlan.LABEL_MANAGED, ContainerPlan.MANAGED_BY);

    Termination t = end(containers, spec.containerId());
    assertThat(t.cause()).isEqualTo(Termination.Cause.EXITED);
    assertThat(t.exitCode()).isEqualTo(3);
    assertThat(Files.readString(spec.stdout())).contains("hello from a container");
    // The container is removed once its end is known.
    assertThat(gone(cp.handle())).isTrue();
  }

  @Test
  void killStopsItAndExecRunsInside() throws Exception {
    LaunchSpec spec = spec(CommandInfo.shell("sleep 1000"), ContainerInfo.of(IMAGE));
    launch(spec);

    ExecResult hi =
        containers.exec(
            spec.containerId(), CommandInfo.shell("echo exec says hi"), Duration.ofSeconds(30));
    assertThat(hi.succeeded()).isTrue();
    assertThat(hi.output()).contains("exec says hi");
    assertThat(containers.usage(spec.containerId())).isPresent();

    containers.kill(spec.containerId(), Duration.ofSeconds(1));
    assertThat(end(containers, spec.containerId()).cause()).isEqualTo(Termination.Cause.KILLED);
    assertThat(containers.usage(spec.containerId())).isEmpty();
  }

  @Test
  void aRestartedAgentFindsItsContainersAndRemovesOrphans() throws Exception {
    LaunchSpec kept = spec(CommandInfo.shell("sleep 1000"), ContainerInfo.of(IMAGE));
    LaunchSpec orphan = spec(CommandInfo.shell("sleep 1000"), ContainerInfo.of(IMAGE));
    ContainerCheckpoint cp = launch(kept);
    ContainerCheckpoint orphanCp = launch(orphan);
    containers.close();

    containers =
        new WindowsContainers(
            WindowsContainers.client("unix://" + io.strata.testkit.Environment.dockerSocket()),
            Clock.systemUTC());
    List<Recovered> recovered = containers.recover(List.of(cp));

    assertThat(recovered).containsExactly(new Recovered.Running(kept.containerId()));
    assertThat(gone(orphanCp.handle())).isTrue();
    containers.kill(kept.containerId(), Duration.ZERO);
    assertThat(end(containers, kept.containerId()).cause()).isEqualTo(Termination.Cause.KILLED);
  }

  @Test
  void refusesWhatTheEngineCannotRun() throws Exception {
    LaunchResult hyperv =
        containers.launch(
            spec(
                CommandInfo.shell("true"),
                new ContainerInfo(
                    IMAGE, ContainerInfo.Network.NONE, ContainerInfo.Isolation.HYPERV)));
    assertThat(hyperv).isInstanceOf(LaunchResult.Failed.class);
    assertThat(((LaunchResult.Failed) hyperv).message()).contains("task.container.isolation");

    LaunchResult missing =
        containers.launch(
            spec(CommandInfo.shell("true"), ContainerInfo.of("strata-test/no-such-image:1")));
    assertThat(missing)
        .isEqualTo(
            new LaunchResult.Failed(
                Reason.LAUNCH_FAILED,
                "task.container.image: no image 'strata-test/no-such-image:1' on this machine"));
  }

  boolean gone(String dockerId) {
    try {
      docker.inspectContainerCmd(dockerId).exec();
      return false;
    } catch (NotFoundException e) {
      return true;
    }
  }
}
