package io.strata.agent.linux;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.agent.containerizer.ContainerId;
import io.strata.agent.containerizer.LaunchResult;
import io.strata.agent.containerizer.LaunchSpec;
import io.strata.agent.containerizer.ResourceUsage;
import io.strata.agent.containerizer.Termination;
import io.strata.agent.linux.cgroups.CgroupLayout;
import io.strata.agent.linux.cgroups.TaskCgroups;
import io.strata.agent.linux.exec.LinuxContainerizer;
import io.strata.agent.linux.plan.CgroupIsolator;
import io.strata.api.CommandInfo;
import io.strata.api.FrameworkId;
import io.strata.api.Reason;
import io.strata.api.Resources;
import io.strata.api.TaskId;
import io.strata.api.TaskInfo;
import io.strata.testkit.Eventually;
import io.strata.testkit.RequiresCgroupV1;
import io.strata.testkit.RequiresCgroupV2;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Limits enforced by the real kernel: pids, CPU cap, memory; and what the agent refuses. */
@RequiresCgroupV1
class LinuxIsolationTest {
  private final String parent = "strata-test-" + UUID.randomUUID().toString().substring(0, 8);
  @TempDir Path work;
  private LinuxContainerizer containerizer;
  private CgroupLayout layout;

  private LinuxContainerizer open(CgroupLayout l, boolean cgroupKill, boolean allowRoot)
      throws Exception {
    layout = l;
    Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
    containerizer =
        LinuxContainerizer.start(
            work.resolve("agent"),
            new CgroupIsolator(l, parent, 4096, cgroupKill),
            allowRoot,
            Clock.systemUTC());
    return containerizer;
  }

  private LinuxContainerizer open() throws Exception {
    return open(CgroupLayout.detect(CgroupLayout.Preference.V1), true, false);
  }

  @AfterEach
  void cleanUp() throws Exception {
    if (containerizer != null) {
      containerizer.close();
    }
    if (layout != null) {
      CgroupTestSupport.killAndRemove(layout, parent);
    }
  }

  private LaunchSpec spec(TaskInfo task, String user) throws Exception {
    ContainerId id = ContainerId.forTask(task.taskId(), UUID.randomUUID());
    Path sandbox = work.resolve("sandboxes").resolve(id.value());
    Files.createDirectories(sandbox);
    Files.setPosixFilePermissions(
        sandbox.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
    return new LaunchSpec(
        id,
        FrameworkId.of("fw"),
        task,
        user,
        sandbox,
        sandbox.resolve("stdout"),
        sandbox.resolve("stderr"),
        Map.of("STRATA_CONTAINER_ID", id.value()));
  }

  private static TaskInfo task(String shell, Resources resources, Long cpuLimit, Long pidsLimit) {
    return new TaskInfo(
        TaskId.of("t-" + UUID.randomUUID().toString().substring(0, 6)),
        null,
        CommandInfo.shell(shell),
        null,
        resources,
        cpuLimit,
        pidsLimit,
        null,
        null,
        null,
        null,
        null);
  }

  private ContainerId launch(LaunchSpec spec) {
    LaunchResult r = containerizer.launch(spec);
    assertThat(r).isInstanceOf(LaunchResult.Launched.class);
    return spec.containerId();
  }

  @Test
  void aForkBombStopsAtPidsMax() throws Exception {
    open();
    LaunchSpec spec =
        spec(
            task("f() { f | f & }; f; sleep 100000", Resources.of(100, 64L << 20), null, 32L),
            "nobody");
    ContainerId id = launch(spec);
    TaskCgroups cg = containerizer.isolator().cgroupsOf(id);
    Path events = cg.pids().orElseThrow().resolve("pids.events");

    Eventually.await("the pids controller to refuse forks", () -> counter(events, "max") > 0);

    ResourceUsage usage = containerizer.usage(id).orElseThrow();
    assertThat(usage.processes()).isLessThanOrEqualTo(32L);
    assertThat(Files.readString(cg.pids().get().resolve("pids.max")).trim()).isEqualTo("32");
    containerizer.kill(id, Duration.ZERO);
    assertThat(LinuxTestSupport.processesWithContainerId(id)).isEmpty();
    assertThat(Files.exists(cg.tracking())).isFalse();
  }

  @Test
  void aCpuBoundTaskWithAHalfCpuCapIsThrottledAndNeverGetsMore() throws Exception {
    open();
    LaunchSpec spec =
        spec(task("while :; do :; done", Resources.of(500, 64L << 20), 500L, null), "nobody");
    ContainerId id = launch(spec);
    TaskCgroups cg = containerizer.isolator().cgroupsOf(id);
    Path cpu = cg.cpu().orElseThrow();
    assertThat(Files.readString(cpu.resolve("cpu.cfs_quota_us")).trim()).isEqualTo("50000");
    assertThat(Files.readString(cpu.resolve("cpu.shares")).trim()).isEqualTo("512");
    // The cap is under test, not the share: on a machine busy with other work a share of 512
    // could keep the task below its cap, so give it the largest share.
    Files.writeString(cpu.resolve("cpu.shares"), "262144");

    Eventually.await(
        "throttling",
        () -> {
          ResourceUsage u = containerizer.usage(id).orElseThrow();
          return u.cpuThrottledPeriods() != null && u.cpuThrottledPeriods() > 0;
        });
    ResourceUsage before = containerizer.usage(id).orElseThrow();
    long wallBefore = System.nanoTime();
    Thread.sleep(500);
    ResourceUsage after = containerizer.usage(id).orElseThrow();
    long wall = System.nanoTime() - wallBefore;

    assertThat(after.cpuThrottledNanos()).isPositive();
    // Half a CPU at most, whatever the machine's speed or load: a bound, not a timing. One CFS
    // period of slack for the edges of the window.
    assertThat(after.cpuTimeNanos() - before.cpuTimeNanos())
        .isLessThanOrEqualTo(wall / 2 + 100_000_000L);
    containerizer.kill(id, Duration.ofMillis(100));
  }

  @Test
  void anOomKillReportsTheLimitAndThePeak() throws Exception {
    open();
    LaunchSpec spec =
        spec(task("tail /dev/zero", Resources.of(100, 24L << 20), null, null), "nobody");
    ContainerId id = launch(spec);

    Termination t = containerizer.wait(id).get(60, TimeUnit.SECONDS);

    assertThat(t.cause()).isEqualTo(Termination.Cause.MEMORY_LIMIT);
    assertThat(t.message()).contains("memory limit of 24 MiB").contains("peak");
    assertThat(t.memoryPeakBytes()).isGreaterThan(20L << 20);
    assertThat(t.exitCode()).isEqualTo(137);
  }

  @Test
  @RequiresCgroupV2
  void theTaskIsInAllItsCgroupsFromItsFirstInstructionAndItsSupervisorIsNot() throws Exception {
    open();
    LaunchSpec spec =
        spec(
            task(
                "cat /proc/self/cgroup; exec sleep 100000",
                Resources.of(100, 32L << 20),
                null,
                null),
            "nobody");
    LaunchResult r = containerizer.launch(spec);
    long supervisor = ((LaunchResult.Launched) r).checkpoint().pid();
    ContainerId id = spec.containerId();
    Eventually.await(
        "the task's view of its cgroups", () -> read(spec.stdout()).lines().count() >= 6);

    String mine = "/" + parent + "/" + id.value();
    for (String controller : List.of("cpu", "cpuacct", "memory", "pids", "freezer")) {
      assertThat(read(spec.stdout()).lines())
          .as(controller)
          .anyMatch(l -> l.matches("\\d+:" + controller + ":" + mine));
    }
    assertThat(read(spec.stdout()).lines()).as("unified").anyMatch(l -> l.equals("0::" + mine));
    Eventually.await(
        "the supervisor out of the task's cgroups",
        () ->
            read(Path.of("/proc", Long.toString(supervisor), "cgroup"))
                .lines()
                .noneMatch(l -> l.endsWith(mine)));
    try (var threads = Files.list(Path.of("/proc/self/task"))) {
      for (Path t : threads.toList()) {
        assertThat(read(t.resolve("cgroup"))).as("agent thread %s", t).doesNotContain(id.value());
      }
    }
    containerizer.kill(id, Duration.ZERO);
  }

  private static String read(Path file) {
    try {
      return Files.isDirectory(file) ? "" : Files.readString(file);
    } catch (java.io.IOException e) {
      return "";
    }
  }

  @Test
  void theTaskRunsAsItsUserInItsSandbox() throws Exception {
    open();
    LaunchSpec spec =
        spec(task("id -un; pwd; touch mine", Resources.of(100, 32L << 20), null, null), "nobody");
    ContainerId id = launch(spec);
    assertThat(containerizer.wait(id).get(60, TimeUnit.SECONDS).succeeded()).isTrue();
    assertThat(Files.readString(spec.stdout())).isEqualTo("nobody\n" + spec.sandbox() + "\n");
    assertThat(Files.getOwner(spec.sandbox().resolve("mine")).getName()).isEqualTo("nobody");
  }

  @Test
  void rootIsRefusedUnlessAllowed() throws Exception {
    open();
    LaunchResult refused =
        containerizer.launch(spec(task("true", Resources.of(100, 32L << 20), null, null), "root"));
    assertThat(refused).isInstanceOf(LaunchResult.Failed.class);
    assertThat(((LaunchResult.Failed) refused).reason()).isEqualTo(Reason.UNAUTHORIZED);
    assertThat(((LaunchResult.Failed) refused).message()).contains("allowRootTasks");
    containerizer.close();
    CgroupTestSupport.killAndRemove(layout, parent);

    open(CgroupLayout.detect(CgroupLayout.Preference.V1), true, true);
    LaunchSpec spec = spec(task("id -u", Resources.of(100, 32L << 20), null, null), "root");
    ContainerId id = launch(spec);
    assertThat(containerizer.wait(id).get(60, TimeUnit.SECONDS).succeeded()).isTrue();
    assertThat(Files.readString(spec.stdout())).isEqualTo("0\n");
  }

  @Test
  @RequiresCgroupV2
  void killWorksWithoutCgroupKillByFreezingTheUnifiedCgroup() throws Exception {
    open(CgroupLayout.detect(CgroupLayout.Preference.V1), false, false);
    LaunchSpec spec =
        spec(
            task(LinuxTestSupport.PROCESS_TREE, Resources.of(100, 32L << 20), null, null),
            "nobody");
    ContainerId id = launch(spec);
    Eventually.await("three processes", () -> count(id) >= 4);

    containerizer.kill(id, Duration.ofMillis(100));

    assertThat(LinuxTestSupport.processesWithContainerId(id)).isEmpty();
    assertThat(containerizer.wait(id).get().cause()).isEqualTo(Termination.Cause.KILLED);
  }

  @Test
  @RequiresCgroupV2
  void aV2HierarchyWithoutControllersRefusesTasksItCannotLimit() throws Exception {
    CgroupLayout hybrid = CgroupLayout.detect(CgroupLayout.Preference.V1);
    CgroupLayout bare =
        new CgroupLayout(CgroupLayout.Mode.V2, Map.of(), hybrid.unified(), java.util.Set.of());
    open(bare, true, false);

    LaunchResult r =
        containerizer.launch(
            spec(task("true", Resources.of(100, 32L << 20), null, null), "nobody"));

    assertThat(r).isInstanceOf(LaunchResult.Failed.class);
    LaunchResult.Failed failed = (LaunchResult.Failed) r;
    assertThat(failed.reason()).isEqualTo(Reason.INSUFFICIENT_RESOURCES);
    assertThat(failed.message())
        .contains("no cpu, memory, pids controller")
        .contains(hybrid.unified().toString());
  }

  private static long count(ContainerId id) {
    try {
      return LinuxTestSupport.processesWithContainerId(id).size();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static long counter(Path file, String key) {
    try {
      for (String line : Files.readAllLines(file)) {
        String[] kv = line.trim().split("\\s+");
        if (kv.length == 2 && kv[0].equals(key)) {
          return Long.parseLong(kv[1]);
        }
      }
      return 0;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
