package io.strata.agent.linux.exec;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.agent.containerizer.ContainerId;
import io.strata.agent.linux.CgroupTestSupport;
import io.strata.agent.linux.cgroups.CgroupLayout;
import io.strata.agent.linux.cgroups.TaskCgroups;
import io.strata.agent.linux.jna.Posix;
import io.strata.agent.linux.plan.CgroupIsolator;
import io.strata.testkit.Eventually;
import io.strata.testkit.RequiresCgroupV1;
import io.strata.testkit.RequiresCgroupV2;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The supervisor's other way in, the one pure v2 uses: the task's first process joins its cgroups
 * itself and says "ready" before it execs; the agent waits for that. Exercised here on the real
 * hierarchies, all joined by the child.
 */
@RequiresCgroupV1
@RequiresCgroupV2
class SupervisorTest {
  final String parent = "strata-test-" + UUID.randomUUID().toString().substring(0, 8);
  @TempDir Path work;
  CgroupLayout layout;

  @AfterEach
  void cleanUp() throws Exception {
    CgroupTestSupport.killAndRemove(layout, parent);
  }

  @Test
  void aChildThatJoinsItsCgroupsItselfIsReportedReadyOnlyOnceItIsInAllOfThem() throws Exception {
    layout = CgroupLayout.detect(CgroupLayout.Preference.V1);
    CgroupIsolator isolator = new CgroupIsolator(layout, parent, 0, true);
    HostOpExecutor ops = new HostOpExecutor(Duration.ofSeconds(30));
    ops.perform(isolator.setup());
    ContainerId id = ContainerId.of("joins-itself-1");
    TaskCgroups cg = isolator.cgroupsOf(id);
    cg.dirs().forEach(d -> d.toFile().mkdir());
    Supervisor supervisor = Supervisor.install(work.resolve("run"), List.of());
    Path out = work.resolve("stdout");
    Path exit = work.resolve("exit");
    try {
      Supervisor.Started started =
          supervisor.start(
              new CgroupIsolator.Spawn(List.of(), cg.procsFiles(), List.of(), true),
              List.of("/bin/sh", "-c", "cat /proc/self/cgroup; exit 3"),
              Map.of("PATH", "/usr/bin:/bin"),
              work,
              out,
              work.resolve("stderr"),
              exit);

      assertThat(started.pid()).isPositive();
      Eventually.await("the exit status", () -> Supervisor.exitStatus(exit).isPresent());
      assertThat(Supervisor.exitStatus(exit)).contains(3);
      String mine = "/" + parent + "/" + id.value();
      String seen = Files.readString(out);
      for (String controller : List.of("cpu", "memory", "pids", "freezer")) {
        assertThat(seen.lines())
            .as(controller)
            .anyMatch(l -> l.matches("\\d+:" + controller + ":" + mine));
      }
      assertThat(seen.lines()).anyMatch(l -> l.equals("0::" + mine));
      Posix.reap(started.pid());
    } finally {
      supervisor.close();
    }
  }

  @Test
  void aChildThatCannotJoinItsCgroupFailsTheStartWithTheReason() throws Exception {
    layout = CgroupLayout.detect(CgroupLayout.Preference.V1);
    Supervisor supervisor = Supervisor.install(work.resolve("run"), List.of());
    Path missing = Path.of("/sys/fs/cgroup/unified", parent, "no-such-cgroup", "cgroup.procs");
    try {
      Supervisor.NotReady e =
          org.junit.jupiter.api.Assertions.assertThrows(
              Supervisor.NotReady.class,
              () ->
                  supervisor.start(
                      new CgroupIsolator.Spawn(List.of(), List.of(missing), List.of(), true),
                      List.of("/bin/true"),
                      Map.of(),
                      work,
                      work.resolve("stdout"),
                      work.resolve("stderr"),
                      work.resolve("exit")));
      assertThat(e.getMessage()).contains("cannot join cgroup " + missing);
    } finally {
      supervisor.close();
    }
  }
}
