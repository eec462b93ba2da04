package io.strata.agent.linux.cgroups;

import io.strata.agent.containerizer.ContainerId;
import io.strata.api.Reason;
import io.strata.api.TaskInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The cgroup isolation policy: turns a task into the host operations that isolate it — a cgroup per
 * task under a configurable parent, CPU share (v1 {@code cpu.shares}, v2 {@code cpu.weight}), an
 * optional hard CPU cap (CFS quota, {@code cpu.max}), a memory limit and a pids limit — and gives
 * the operations that stop and remove it. No I/O: the {@link HostOpExecutor} performs the
 * operations, or they are printed as a dry run.
 */
public final class CgroupIsolator {
  /** CFS period: 100 ms, the kernel's default. */
  public static final long CFS_PERIOD_MICROS = 100_000;

  private final CgroupLayout layout;
  private final Path parent;
  private final long defaultPidsLimit;
  private final boolean cgroupKill;

  /**
   * @param parent the agent's cgroup, relative to each hierarchy's root (e.g. {@code strata})
   * @param defaultPidsLimit pids.max for tasks that set none; 0 for no limit
   * @param cgroupKill whether the kernel has {@code cgroup.kill} (Linux 5.14+)
   */
  public CgroupIsolator(
      CgroupLayout layout, String parent, long defaultPidsLimit, boolean cgroupKill) {
    this.layout = Objects.requireNonNull(layout, "layout");
    Path p = Path.of(parent);
    if (p.isAbsolute() || parent.isBlank() || parent.contains("..")) {
      throw new IllegalArgumentException(
          "cgroupParent must be a relative path without '..' (was '" + parent + "')");
    }
    this.parent = p;
    this.defaultPidsLimit = defaultPidsLimit;
    this.cgroupKill = cgroupKill;
  }

  public CgroupLayout layout() {
    return layout;
  }

  /** The outcome of {@link #place}: operations to run before launching, or why it cannot run. */
  public sealed interface Placement {}

  /** Create these, then start the task's first process in {@code cgroups.procsFiles()}. */
  public record Placed(TaskCgroups cgroups, List<HostOp> create) implements Placement {}

  /** The host cannot enforce what the task asks for. */
  public record Refused(Reason reason, String message) implements Placement {}

  /** Creates the agent's parent cgroups and, on v2, enables the controllers its tasks need. */
  public List<HostOp> setup() {
    List<HostOp> ops = new ArrayList<>();
    for (Path hierarchy : layout.hierarchies()) {
      Path dir = hierarchy;
      boolean unified = hierarchy.equals(layout.unified());
      String enable = unified && layout.mode() == CgroupLayout.Mode.V2 ? enableLine() : "";
      for (Path part : parent) {
        if (!enable.isEmpty()) {
          ops.add(new HostOp.WriteFile(dir.resolve("cgroup.subtree_control"), enable));
        }
        dir = dir.resolve(part);
        ops.add(new HostOp.MakeDirectory(dir));
      }
      if (!enable.isEmpty()) {
        ops.add(new HostOp.WriteFile(dir.resolve("cgroup.subtree_control"), enable));
      }
    }
    return ops;
  }

  private String enableLine() {
    return CgroupLayout.V2_CONTROLLERS.stream()
        .filter(layout.unifiedControllers()::contains)
        .map(c -> "+" + c)
        .reduce((a, b) -> a + " " + b)
        .orElse("");
  }

  /** The agent's parent directory in the tracking hierarchy: its children are task cgroups. */
  public Path parentDirectory() {
    return layout.tracking().resolve(parent);
  }

  /** The agent's parent directory in every hierarchy it uses. */
  public List<Path> parentDirectories() {
    return layout.hierarchies().stream().map(h -> h.resolve(parent)).toList();
  }

  /** Where a container's cgroups are; the same answer after a restart. */
  public TaskCgroups cgroupsOf(ContainerId id) {
    List<Path> dirs = new ArrayList<>();
    for (Path hierarchy : layout.hierarchies()) {
      dirs.add(hierarchy.resolve(parent).resolve(id.value()));
    }
    return new TaskCgroups(
        layout.mode(),
        dirs,
        layout.tracking().resolve(parent).resolve(id.value()),
        dirOf("memory", id),
        dirOf("cpu", id),
        layout.mode() == CgroupLayout.Mode.V2
            ? Optional.of(layout.unified().resolve(parent).resolve(id.value()))
            : dirOf("cpuacct", id),
        dirOf("pids", id));
  }

  private Optional<Path> dirOf(String controller, ContainerId id) {
    return layout.hierarchyOf(controller).map(h -> h.resolve(parent).resolve(id.value()));
  }

  /** The operations that create and limit a task's cgroups, or why the host cannot. */
  public Placement place(ContainerId id, TaskInfo task) {
    TaskCgroups cg = cgroupsOf(id);
    List<String> missing = new ArrayList<>();
    long millicpus = task.resources().millicpus();
    long memory = task.resources().memoryBytes();
    long pidsLimit = task.pidsLimit() != null ? task.pidsLimit() : defaultPidsLimit;
    if ((millicpus > 0 || task.cpuLimitMillicpus() != null) && cg.cpu().isEmpty()) {
      missing.add("cpu");
    }
    if (memory > 0 && cg.memory().isEmpty()) {
      missing.add("memory");
    }
    if (pidsLimit > 0 && cg.pids().isEmpty()) {
      missing.add("pids");
    }
    if (!missing.isEmpty()) {
      return new Refused(
          Reason.INSUFFICIENT_RESOURCES,
          "this agent cannot enforce the task's limits: no "
              + String.join(", ", missing)
              + " controller in the cgroup2 hierarchy at "
              + layout.unified()
              + " (available: "
              + (layout.unifiedControllers().isEmpty()
                  ? "none"
                  : String.join(" ", layout.unifiedControllers()))
              + ")");
    }
    boolean v2 = layout.mode() == CgroupLayout.Mode.V2;
    List<HostOp> ops = new ArrayList<>();
    cg.dirs().forEach(d -> ops.add(new HostOp.MakeDirectory(d)));
    cg.cpu()
        .ifPresent(
            dir -> {
              long shares = shares(millicpus);
              if (v2) {
                ops.add(
                    new HostOp.WriteFile(dir.resolve("cpu.weight"), Long.toString(weight(shares))));
              } else {
                ops.add(new HostOp.WriteFile(dir.resolve("cpu.shares"), Long.toString(shares)));
              }
              if (task.cpuLimitMillicpus() != null) {
                long quota = quotaMicros(task.cpuLimitMillicpus());
                if (v2) {
                  ops.add(
                      new HostOp.WriteFile(
                          dir.resolve("cpu.max"), quota + " " + CFS_PERIOD_MICROS));
                } else {
                  ops.add(
                      new HostOp.WriteFile(
                          dir.resolve("cpu.cfs_period_us"), Long.toString(CFS_PERIOD_MICROS)));
                  ops.add(
                      new HostOp.WriteFile(dir.resolve("cpu.cfs_quota_us"), Long.toString(quota)));
                }
              }
            });
    if (memory > 0) {
      Path dir = cg.memory().orElseThrow();
      ops.add(
          new HostOp.WriteFile(
              dir.resolve(v2 ? "memory.max" : "memory.limit_in_bytes"), Long.toString(memory)));
    }
    if (pidsLimit > 0) {
      ops.add(
          new HostOp.WriteFile(
              cg.pids().orElseThrow().resolve("pids.max"), Long.toString(pidsLimit)));
    }
    return new Placed(cg, List.copyOf(ops));
  }

  /** The polite stop: SIGTERM to every process of the task. */
  public List<HostOp> politeStop(TaskCgroups cg) {
    return List.of(new HostOp.SignalProcesses(cg.trackingProcs(), 15));
  }

  /**
   * The hard kill of every process of the task, forks in flight included: {@code cgroup.kill} where
   * the kernel has it; otherwise freeze the cgroup (so nothing can fork), SIGKILL everything, thaw
   * (frozen processes die only once thawed), and wait until it is empty.
   */
  public List<HostOp> hardKill(TaskCgroups cg) {
    Path t = cg.tracking();
    boolean unifiedTracking = cg.mode() != CgroupLayout.Mode.V1;
    if (unifiedTracking && cgroupKill) {
      return List.of(
          new HostOp.WriteFile(t.resolve("cgroup.kill"), "1"),
          new HostOp.AwaitEmpty(t.resolve("cgroup.procs"), true));
    }
    if (unifiedTracking) {
      return List.of(
          new HostOp.WriteFile(t.resolve("cgroup.freeze"), "1"),
          new HostOp.SignalProcesses(t.resolve("cgroup.procs"), 9),
          new HostOp.WriteFile(t.resolve("cgroup.freeze"), "0"),
          new HostOp.AwaitEmpty(t.resolve("cgroup.procs"), true));
    }
    return List.of(
        new HostOp.WriteFile(t.resolve("freezer.state"), "FROZEN"),
        new HostOp.AwaitContent(t.resolve("freezer.state"), "FROZEN"),
        new HostOp.SignalProcesses(t.resolve("cgroup.procs"), 9),
        new HostOp.WriteFile(t.resolve("freezer.state"), "THAWED"),
        new HostOp.AwaitEmpty(t.resolve("cgroup.procs"), true));
  }

  /** Removes the task's cgroups (they must be empty). */
  public List<HostOp> remove(TaskCgroups cg) {
    return cg.dirs().stream().<HostOp>map(HostOp.RemoveDirectory::new).toList();
  }

  /** v1 cpu.shares for a CPU request: 1024 per CPU, at least 2 (the kernel's minimum). */
  public static long shares(long millicpus) {
    return Math.max(2, millicpus * 1024 / 1000);
  }

  /** v2 cpu.weight from shares, the mapping runc and Kubernetes use ([2, 262144] → [1, 10000]). */
  public static long weight(long shares) {
    long w = 1 + ((shares - 2) * 9999) / 262142;
    return Math.max(1, Math.min(10_000, w));
  }

  /** The CFS quota for a hard cap, per 100 ms period; at least the kernel's 1 ms minimum. */
  public static long quotaMicros(long millicpus) {
    return Math.max(1000, millicpus * CFS_PERIOD_MICROS / 1000);
  }
}
