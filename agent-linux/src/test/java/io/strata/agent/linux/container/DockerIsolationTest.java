package io.strata.agent.linux.container;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import io.strata.agent.containerizer.ContainerId;
import io.strata.agent.containerizer.LaunchResult;
import io.strata.agent.containerizer.LaunchSpec;
import io.strata.agent.linux.users.TaskUids;
import io.strata.agent.linux.users.TaskUsers;
import io.strata.agent.linux.users.UidRange;
import io.strata.agent.state.StateFiles;
import io.strata.agent.tasks.Sandboxes;
import io.strata.api.CommandInfo;
import io.strata.api.ContainerInfo;
import io.strata.api.FrameworkId;
import io.strata.api.Resources;
import io.strata.api.TaskId;
import io.strata.api.TaskInfo;
import io.strata.testkit.Environment;
import io.strata.testkit.RequiresDocker;
import io.strata.testkit.RequiresRoot;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Containers run as their app's uid from the agent's range, like native tasks, with
 * no-new-privileges; their sandbox is 0700 and theirs. On the real engine.
 */
@RequiresDocker
@RequiresRoot
class DockerIsolationTest {
  @TempDir Path tmp;
  final int firstUid = 30_000 + 10 * ThreadLocalRandom.current().nextInt(2_900);
  Path work;
  DockerContainerizer docker;

  @AfterEach
  void close() {
    if (docker != null) {
      docker.close();
    }
  }

  @Test
  void containersOfTwoFrameworksRunAsTheirOwnUidsWithNoNewPrivileges() throws Exception {
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
    work = tmp.resolve("agent");
    StateFiles.prepare(work);
    String host = "unix://" + Environment.dockerSocket();
    try (DockerClient client = DockerContainerizer.client(host)) {
      HostToolsImage.ensure(client);
    }
    TaskUids uids = TaskUids.open(work, new UidRange(firstUid, firstUid + 9));
    docker =
        new DockerContainerizer(
            host, work, 64, TaskUsers.isolated(false, "nobody", uids), Clock.systemUTC());
    Sandboxes sandboxes = new Sandboxes(work.resolve("sandboxes"), 1 << 20, 1);

    LaunchSpec a = spec(sandboxes, FrameworkId.of("fw-a"));
    LaunchSpec b = spec(sandboxes, FrameworkId.of("fw-b"));
    for (LaunchSpec s : new LaunchSpec[] {a, b}) {
      assertThat(docker.launch(s)).isInstanceOf(LaunchResult.Launched.class);
      assertThat(docker.wait(s.containerId()).get(60, TimeUnit.SECONDS).succeeded())
          .as(Files.readString(s.stderr()))
          .isTrue();
    }

    assertThat(Files.readString(a.stdout()))
        .isEqualTo(firstUid + "\n" + firstUid + "\nNoNewPrivs:\t1\nwritten\n");
    assertThat(Files.readString(b.stdout()))
        .isEqualTo((firstUid + 1) + "\n" + (firstUid + 1) + "\nNoNewPrivs:\t1\nwritten\n");
    assertThat(owner(a.sandbox())).isEqualTo(firstUid);
    assertThat(owner(a.sandbox().resolve("mine"))).isEqualTo(firstUid);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(a.sandbox())))
        .isEqualTo("rwx------");
    assertThat(uids.allocation().uids()).hasSize(2);
  }

  private static LaunchSpec spec(Sandboxes sandboxes, FrameworkId fw) throws Exception {
    TaskInfo task =
        new TaskInfo(
            TaskId.of("t-" + UUID.randomUUID().toString().substring(0, 6)),
            null,
            CommandInfo.shell(
                "id -u; id -g; while read -r l; do case $l in NoNewPrivs*) echo \"$l\";; esac;"
                    + " done </proc/self/status; echo x > mine && echo written"),
            ContainerInfo.of(HostToolsImage.NAME),
            Resources.of(100, 64L << 20),
            null,
            null,
            null,
            null,
            null,
            null,
            null);
    ContainerId id = ContainerId.forTask(task.taskId(), UUID.randomUUID());
    Path sandbox = sandboxes.create(id, fw, task.taskId());
    return new LaunchSpec(
        id,
        fw,
        task,
        "nobody",
        sandbox,
        Sandboxes.stdout(sandbox),
        Sandboxes.stderr(sandbox),
        Map.of());
  }

  private static int owner(Path p) throws Exception {
    return (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
  }
}
