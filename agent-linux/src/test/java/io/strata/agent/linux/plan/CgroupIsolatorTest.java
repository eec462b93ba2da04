package io.strata.agent.linux.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.agent.containerizer.ContainerId;
import io.strata.agent.linux.cgroups.CgroupLayout;
import io.strata.agent.linux.cgroups.TaskCgroups;
import io.strata.api.CommandInfo;
import io.strata.api.Reason;
import io.strata.api.Resources;
import io.strata.api.TaskId;
import io.strata.api.TaskInfo;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** The isolation policy as data: no root, no kernel, just the operations it decides. */
class CgroupIsolatorTest {
  static final Path ROOT = Path.of("/sys/fs/cgroup");
  static final CgroupLayout V2 =
      new CgroupLayout(CgroupLayout.Mode.V2, Map.of(), ROOT, Set.of("cpu", "memory", "pids", "io"));
  static final CgroupLayout V1 =
      new CgroupLayout(
          CgroupLayout.Mode.V1,
          Map.of(
              "cpu", ROOT.resolve("cpu,cpuacct"),
              "cpuacct", ROOT.resolve("cpu,cpuacct"),
              "memory", ROOT.resolve("memory"),
              "pids", ROOT.resolve("pids"),
              "freezer", ROOT.resolve("freezer")),
          null,
          null);
  static final ContainerId ID = ContainerId.of("web-1-abcdef012345");

  static TaskInfo task(long millicpus, long memory, Long cap, Long pids) {
    return new TaskInfo(
        TaskId.of("web-1"),
        null,
        CommandInfo.shell("true"),
        null,
        Resources.of(millicpus, memory),
        cap,
        pids,
        null,
        null,
        null,
        null,
        null);
  }

  static List<String> dryRun(List<HostOp> ops) {
    return ops.stream().map(HostOp::describe).toList();
  }

  @Test
  void v2PlacesATaskWithWeightCapMemoryAndPids() {
    CgroupIsolator isolator = new CgroupIsolator(V2, "strata/agents", 1000, true);

    assertThat(dryRun(isolator.setup()))
        .containsExactly(
            "write /sys/fs/cgroup/cgroup.subtree_control <- +cpu +memory +pids",
            "mkdir /sys/fs/cgroup/strata",
            "write /sys/fs/cgroup/strata/cgroup.subtree_control <- +cpu +memory +pids",
            "mkdir /sys/fs/cgroup/strata/agents",
            "write /sys/fs/cgroup/strata/agents/cgroup.subtree_control <- +cpu +memory +pids");

    CgroupIsolator.Placed placed =
        (CgroupIsolator.Placed) isolator.place(ID, task(1500, 256L << 20, 2000L, null));
    String dir = "/sys/fs/cgroup/strata/agents/web-1-abcdef012345";
    assertThat(dryRun(placed.create()))
        .containsExactly(
            "mkdir " + dir,
            "write " + dir + "/cpu.weight <- 59",
            "write " + dir + "/cpu.max <- 200000 100000",
            "write " + dir + "/memory.max <- 268435456",
            "write " + dir + "/pids.max <- 1000");
    assertThat(placed.cgroups().procsFiles()).containsExactly(Path.of(dir, "cgroup.procs"));
    assertThat(placed.spawn())
        .isEqualTo(
            new CgroupIsolator.Spawn(
                List.of(), List.of(Path.of(dir, "cgroup.procs")), List.of(), true));
  }

  @Test
  void v1WritesSharesQuotaMemoryAndPidsInEachHierarchy() {
    CgroupIsolator isolator = new CgroupIsolator(V1, "strata", 0, false);

    CgroupIsolator.Placed placed =
        (CgroupIsolator.Placed) isolator.place(ID, task(500, 64L << 20, 500L, 50L));

    assertThat(dryRun(placed.create()))
        .containsExactly(
            "mkdir /sys/fs/cgroup/cpu,cpuacct/strata/web-1-abcdef012345",
            "mkdir /sys/fs/cgroup/memory/strata/web-1-abcdef012345",
            "mkdir /sys/fs/cgroup/pids/strata/web-1-abcdef012345",
            "mkdir /sys/fs/cgroup/freezer/strata/web-1-abcdef012345",
            "write /sys/fs/cgroup/cpu,cpuacct/strata/web-1-abcdef012345/cpu.shares <- 512",
            "write /sys/fs/cgroup/cpu,cpuacct/strata/web-1-abcdef012345/cpu.cfs_period_us <- 100000",
            "write /sys/fs/cgroup/cpu,cpuacct/strata/web-1-abcdef012345/cpu.cfs_quota_us <- 50000",
            "write /sys/fs/cgroup/memory/strata/web-1-abcdef012345/memory.limit_in_bytes <- 67108864",
            "write /sys/fs/cgroup/pids/strata/web-1-abcdef012345/pids.max <- 50");
    // Born in its v1 cgroups: nothing to join, nothing to wait for; the supervisor leaves.
    assertThat(placed.spawn().bornIn()).hasSize(4);
    assertThat(placed.spawn().joins()).isEmpty();
    assertThat(placed.spawn().awaitReady()).isFalse();
    assertThat(placed.spawn().leaves())
        .containsExactly(
            Path.of("/sys/fs/cgroup/cpu,cpuacct/strata/cgroup.procs"),
            Path.of("/sys/fs/cgroup/memory/strata/cgroup.procs"),
            Path.of("/sys/fs/cgroup/pids/strata/cgroup.procs"),
            Path.of("/sys/fs/cgroup/freezer/strata/cgroup.procs"));
  }

  @Test
  void killIsFreezeKillThawOnV1AndCgroupKillOnV2() {
    CgroupIsolator v1 = new CgroupIsolator(V1, "strata", 0, true);
    assertThat(dryRun(v1.hardKill(v1.cgroupsOf(ID))))
        .containsExactly(
            "write /sys/fs/cgroup/freezer/strata/web-1-abcdef012345/freezer.state <- FROZEN",
            "await /sys/fs/cgroup/freezer/strata/web-1-abcdef012345/freezer.state == FROZEN",
            "kill -9 $(cat /sys/fs/cgroup/freezer/strata/web-1-abcdef012345/cgroup.procs)",
            "write /sys/fs/cgroup/freezer/strata/web-1-abcdef012345/freezer.state <- THAWED",
            "await empty /sys/fs/cgroup/freezer/strata/web-1-abcdef012345/cgroup.procs (SIGKILL stragglers)");

    CgroupIsolator v2 = new CgroupIsolator(V2, "strata", 0, true);
    assertThat(dryRun(v2.hardKill(v2.cgroupsOf(ID))))
        .containsExactly(
            "write /sys/fs/cgroup/strata/web-1-abcdef012345/cgroup.kill <- 1",
            "await empty /sys/fs/cgroup/strata/web-1-abcdef012345/cgroup.procs (SIGKILL stragglers)");
    assertThat(dryRun(v2.politeStop(v2.cgroupsOf(ID))))
        .containsExactly("kill -15 $(cat /sys/fs/cgroup/strata/web-1-abcdef012345/cgroup.procs)");
    assertThat(dryRun(v2.remove(v2.cgroupsOf(ID))))
        .containsExactly(
            "write /sys/fs/cgroup/strata/web-1-abcdef012345/memory.reclaim <- (usage)",
            "rmdir /sys/fs/cgroup/strata/web-1-abcdef012345");
  }

  @Test
  void hybridTracksInTheUnifiedHierarchyAndLimitsInV1() {
    CgroupLayout hybrid =
        new CgroupLayout(CgroupLayout.Mode.HYBRID, V1.v1(), ROOT.resolve("unified"), Set.of());
    CgroupIsolator isolator = new CgroupIsolator(hybrid, "strata", 0, true);
    TaskCgroups cg = isolator.cgroupsOf(ID);

    assertThat(cg.tracking())
        .isEqualTo(Path.of("/sys/fs/cgroup/unified/strata/web-1-abcdef012345"));
    assertThat(cg.procsFiles()).hasSize(5).last().isEqualTo(cg.trackingProcs());
    assertThat(cg.memory()).contains(Path.of("/sys/fs/cgroup/memory/strata/web-1-abcdef012345"));
    assertThat(isolator.setup()).noneMatch(op -> op.describe().contains("subtree_control"));
    CgroupIsolator.Placed placed =
        (CgroupIsolator.Placed) isolator.place(ID, task(100, 1 << 20, null, null));
    assertThat(placed.spawn().bornIn())
        .hasSize(4)
        .noneMatch(d -> d.startsWith(Path.of("/sys/fs/cgroup/unified")));
    assertThat(placed.spawn().joins()).containsExactly(cg.trackingProcs());
    assertThat(placed.spawn().awaitReady()).isFalse();
    assertThat(dryRun(isolator.politeStop(cg)))
        .containsExactly(
            "kill -15 $(cat /sys/fs/cgroup/freezer/strata/web-1-abcdef012345/cgroup.procs)");
    assertThat(dryRun(isolator.hardKill(cg)))
        .containsExactly(
            "write /sys/fs/cgroup/unified/strata/web-1-abcdef012345/cgroup.kill <- 1",
            "await empty /sys/fs/cgroup/unified/strata/web-1-abcdef012345/cgroup.procs (SIGKILL stragglers)",
            "await empty /sys/fs/cgroup/freezer/strata/web-1-abcdef012345/cgroup.procs (SIGKILL stragglers)");
  }

  @Test
  void refusesWhatTheHierarchyCannotEnforce() {
    CgroupLayout bare = new CgroupLayout(CgroupLayout.Mode.V2, Map.of(), ROOT, Set.of("cpu"));
    CgroupIsolator isolator = new CgroupIsolator(bare, "strata", 0, true);

    CgroupIsolator.Placement placement = isolator.place(ID, task(100, 64L << 20, null, 10L));

    assertThat(placement)
        .isEqualTo(
            new CgroupIsolator.Refused(
                Reason.INSUFFICIENT_RESOURCES,
                "this agent cannot enforce the task's limits: no memory, pids controller in the"
                    + " cgroup2 hierarchy at /sys/fs/cgroup (available: cpu)"));
    assertThat(isolator.place(ID, task(100, 0, null, null)))
        .isInstanceOf(CgroupIsolator.Placed.class);
  }

  @Test
  void theParentMustStayInsideTheHierarchy() {
    assertThatThrownBy(() -> new CgroupIsolator(V2, "/strata", 0, true))
        .hasMessageContaining("relative");
    assertThatThrownBy(() -> new CgroupIsolator(V2, "../escape", 0, true))
        .hasMessageContaining("'..'");
  }

  @Property
  void weightStaysInTheKernelsRangeAndFollowsShares(
      @ForAll @LongRange(min = 0, max = 1_000_000) long a,
      @ForAll @LongRange(min = 0, max = 1_000_000) long b) {
    long wa = CgroupIsolator.weight(CgroupIsolator.shares(a));
    long wb = CgroupIsolator.weight(CgroupIsolator.shares(b));
    assertThat(wa).isBetween(1L, 10_000L);
    if (a <= b) {
      assertThat(wa).isLessThanOrEqualTo(wb);
    }
  }

  @Property
  void quotaIsProportionalAndAtLeastAMillisecond(
      @ForAll @LongRange(min = 1, max = 1_000_000) long millicpus) {
    long quota = CgroupIsolator.quotaMicros(millicpus);
    assertThat(quota).isGreaterThanOrEqualTo(1000);
    if (millicpus >= 10) {
      assertThat(quota).isEqualTo(millicpus * 100);
    }
  }
}
