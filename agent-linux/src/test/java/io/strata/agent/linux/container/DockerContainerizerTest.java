package io.strata.agent.linux.container;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import io.strata.agent.containerizer.Containerizer;
import io.strata.agent.containerizer.LaunchResult;
import io.strata.agent.containerizer.LaunchSpec;
import io.strata.agent.containerizer.Termination;
import io.strata.agent.linux.LinuxContainerizerContract;
import io.strata.agent.linux.LinuxTestSupport;
import io.strata.agent.linux.plan.DockerRun;
import io.strata.api.CommandInfo;
import io.strata.api.ContainerInfo;
import io.strata.api.Reason;
import io.strata.api.Resources;
import io.strata.api.TaskId;
import io.strata.api.TaskInfo;
import io.strata.testkit.Environment;
import io.strata.testkit.RequiresDocker;
import io.strata.testkit.RequiresRoot;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The contract on the real Docker engine, with the busybox image imported for the tests. */
@RequiresDocker
@RequiresRoot
@io.strata.testkit.RequiresBusybox
class DockerContainerizerTest extends LinuxContainerizerContract {
  static String host() {
    return "unix://" + Environment.dockerSocket();
  }

  @Override
  protected Containerizer createContainerizer(Path workDir) throws Exception {
    try (DockerClient docker = DockerContainerizer.client(host())) {
      BusyboxImage.ensure(docker);
    }
    return new DockerContainerizer(host(), workDir, 1024, false, Clock.systemUTC());
  }

  /** A failed test may leave containers behind: remove whatever carries this test's agent label. */
  @Override
  protected void afterContainersAreGone() throws Exception {
    try (DockerClient docker = DockerContainerizer.client(host())) {
      for (var c :
          docker
              .listContainersCmd()
              .withShowAll(true)
              .withLabelFilter(
                  Map.of(
                      DockerRun.LABEL_AGENT, DockerContainerizer.agentKey(work.resolve("agent"))))
              .exec()) {
        docker.removeContainerCmd(c.getId()).withForce(true).exec();
      }
    }
  }

  @Override
  protected ContainerInfo container() {
    return ContainerInfo.of(BusyboxImage.NAME);
  }

  @Test
  void aMissingImageFailsTheLaunchClearly() throws Exception {
    TaskInfo task =
        new TaskInfo(
            TaskId.of("no-image"),
            null,
            CommandInfo.shell("true"),
            ContainerInfo.of("strata-agent-test/no-such-image:404"),
            Resources.of(100, 32L << 20),
            null,
            null,
            null,
            null,
            null,
            null,
            null);
    LaunchResult r = containerizer.launch(spec(task, "nobody", Map.of()));

    assertThat(r).isInstanceOf(LaunchResult.Failed.class);
    assertThat(((LaunchResult.Failed) r).reason()).isEqualTo(Reason.LAUNCH_FAILED);
    assertThat(((LaunchResult.Failed) r).message())
        .contains("task.container.image")
        .contains("strata-agent-test/no-such-image:404");
  }

  @Test
  void limitsLabelsAndNetworkReachTheEngine() throws Exception {
    TaskInfo task =
        new TaskInfo(
            TaskId.of("limited"),
            null,
            LinuxTestSupport.sh(
                "cat /sys/fs/cgroup/memory/memory.limit_in_bytes; ls /sys/class/net; id -un; pwd; exec sleep 1000"),
            ContainerInfo.of(BusyboxImage.NAME),
            Resources.of(500, 48L << 20),
            250L * 4,
            64L,
            null,
            null,
            Map.of("team", "web"),
            null,
            null);
    LaunchSpec spec = spec(task, "nobody", Map.of());
    launch(containerizer, spec);
    io.strata.testkit.Eventually.await(
        "output", () -> read(spec.stdout()).contains("/mnt/sandbox"));

    DockerClient docker = DockerContainerizer.client(host());
    var inspect =
        docker
            .listContainersCmd()
            .withLabelFilter(Map.of(DockerRun.LABEL_CONTAINER, spec.containerId().value()))
            .exec();
    assertThat(inspect).hasSize(1);
    var details = docker.inspectContainerCmd(inspect.get(0).getId()).exec();
    assertThat(details.getHostConfig().getMemory()).isEqualTo(48L << 20);
    assertThat(details.getHostConfig().getNanoCPUs()).isEqualTo(1_000_000_000L);
    assertThat(details.getHostConfig().getPidsLimit()).isEqualTo(64L);
    assertThat(details.getHostConfig().getNetworkMode()).isEqualTo("none");
    assertThat(details.getConfig().getLabels())
        .containsEntry("task.team", "web")
        .containsEntry(DockerRun.LABEL_TASK, "limited");
    assertThat(read(spec.stdout())).isEqualTo(((48L << 20) + "\nlo\nnobody\n/mnt/sandbox\n"));
    docker.close();

    containerizer.kill(spec.containerId(), java.time.Duration.ofSeconds(5));
    assertThat(termination(containerizer, spec.containerId()).cause())
        .isEqualTo(Termination.Cause.KILLED);
  }
}
