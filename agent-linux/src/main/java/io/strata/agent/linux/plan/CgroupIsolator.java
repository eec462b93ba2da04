package io.strata.agent.linux.plan;

import io.strata.agent.containerizer.ContainerId;
import io.strata.agent.linux.cgroups.CgroupLayout;
import io.strata.agent.linux.cgroups.TaskCgroups;
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

  /** Create these, then start the task's first process as {@code spawn} says. */
  public record Placed(TaskCgroups cgroups, List<HostOp> create, Spawn spawn)
      implements Placement {}

  /**
   * How the task's first process gets into its cgroups before it runs user code.
   *
   * <p>In v1 hierarchies a single thread can change cgroups: the agent's spawning thread joins the
   * task's v1 cgroups ({@code bornIn}, through their {@code tasks} files), spawns the supervisor —
   * born inside them, so limits apply from its first instruction — and goes back; the agent needs
   * not wait for the child. In the unified hierarchy only whole processes move, so the task's first
   * process writes itself into {@code joins} before it execs the command; when that is where the
   * limits are (pure v2), the agent waits for its "ready" ({@code awaitReady}). The supervisor
   * itself leaves the task's cgroups for {@code leaves} (the agent's parent cgroups) once it has
   * forked the task, so a kill of the task never takes the supervisor — and its record of the exit
   * status — with it.
   */
  public record Spawn(List<Path> bornIn, List<Path> joins, List<Path> leaves, boolean awaitReady) {
    public Spawn {
      bornIn = List.copyOf(bornIn);
      joins = List.copyOf(joins);
      leaves = List.copyOf(leaves);
    }
  }

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
    return new Placed(cg, List.copyOf(ops), spawn(cg));
  }

  private Spawn spawn(TaskCgroups cg) {
    if (layout.mode() == CgroupLayout.Mode.V2) {
      return new Spawn(List.of(), List.of(cg.trackingProcs()), List.of(), true);
    }
    List<Path> v1 = cg.dirs().stream().filter(d -> !d.startsWith(unifiedOrNone())).toList();
    List<Path> leaves =
        layout.hierarchies().stream()
            .filter(h -> !h.equals(layout.unified()))
            .map(h -> h.resolve(parent).resolve("cgroup.procs"))
            .toList();
    List<Path> joins =
        layout.mode() == CgroupLayout.Mode.HYBRID ? List.of(cg.trackingProcs()) : List.of();
    return new Spawn(v1, joins, leaves, false);
  }

  private Path unifiedOrNone() {
    return layout.unified() == null ? Path.of("/nonexistent-unified") : layout.unified();
  }

  /** The polite stop: SIGTERM to every process of the task. */
  public List<HostOp> politeStop(TaskCgroups cg) {
    if (cg.mode() == CgroupLayout.Mode.HYBRID) {
      // Born in its v1 cgroups, a task joins the unified one an instant later: the v1 freezer
      // cgroup lists all its processes from the start.
      return List.of(new HostOp.SignalProcesses(v1Freezer(cg).resolve("cgroup.procs"), 15));
    }
    return List.of(new HostOp.SignalProcesses(cg.trackingProcs(), 15));
  }

  private Path v1Freezer(TaskCgroups cg) {
    return layout.v1().get("freezer").resolve(parent).resolve(cg.tracking().getFileName());
  }

  /**
   * The hard kill of every process of the task, forks in flight included: {@code cgroup.kill} where
   * the kernel has it; otherwise freeze the cgroup (so nothing can fork), SIGKILL everything, thaw
   * (frozen processes die only once thawed), and wait until it is empty.
   */
  public List<HostOp> hardKill(TaskCgroups cg) {
    Path t = cg.tracking();
    List<HostOp> ops = new ArrayList<>();
    boolean unifiedTracking = cg.mode() != CgroupLayout.Mode.V1;
    if (unifiedTracking && cgroupKill) {
      ops.add(new HostOp.WriteFile(t.resolve("cgroup.kill"), "1"));
    } else if (unifiedTracking) {
      ops.add(new HostOp.WriteFile(t.resolve("cgroup.freeze"), "1"));
      ops.add(new HostOp.SignalProcesses(t.resolve("cgroup.procs"), 9));
      ops.add(new HostOp.WriteFile(t.resolve("cgroup.freeze"), "0"));
    } else {
      ops.add(new HostOp.WriteFile(t.resolve("freezer.state"), "FROZEN"));
      ops.add(new HostOp.AwaitContent(t.resolve("freezer.state"), "FROZEN"));
      ops.add(new HostOp.SignalProcesses(t.resolve("cgroup.procs"), 9));
      ops.add(new HostOp.WriteFile(t.resolve("freezer.state"), "THAWED"));
    }
    ops.add(new HostOp.AwaitEmpty(t.resolve("cgroup.procs"), true));
    if (cg.mode() == CgroupLayout.Mode.HYBRID) {
      // A task is born in its v1 cgroups and joins the unified one an instant later: whatever is
      // caught in between is in v1 only.
      ops.add(new HostOp.AwaitEmpty(v1Freezer(cg).resolve("cgroup.procs"), true));
    }
    return List.copyOf(ops);
  }

  /** Removes the task's cgroups (they must be empty). */
  public List<HostOp> remove(TaskCgroups cg) {
    List<HostOp> ops = new ArrayList<>();
    cg.memory()
        .ifPresent(
            m -> ops.add(new HostOp.ReclaimMemory(m, layout.mode() == CgroupLayout.Mode.V2)));
    cg.dirs().forEach(d -> ops.add(new HostOp.RemoveDirectory(d)));
    return List.copyOf(ops);
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
