package io.strata.agent.linux.exec;

import com.fasterxml.jackson.databind.JavaType;
import io.strata.agent.containerizer.ContainerCheckpoint;
import io.strata.agent.containerizer.ContainerId;
import io.strata.agent.containerizer.ContainerizerException;
import io.strata.agent.containerizer.ExecResult;
import io.strata.agent.containerizer.GracefulContainerizer;
import io.strata.agent.containerizer.LaunchResult;
import io.strata.agent.containerizer.LaunchSpec;
import io.strata.agent.containerizer.Recovered;
import io.strata.agent.containerizer.ResourceUsage;
import io.strata.agent.linux.cgroups.CgroupStats;
import io.strata.agent.linux.cgroups.TaskCgroups;
import io.strata.agent.linux.jna.Posix;
import io.strata.agent.linux.jna.ProcStat;
import io.strata.agent.linux.plan.CgroupIsolator;
import io.strata.agent.linux.plan.HostOp;
import io.strata.agent.linux.plan.TerminationRules;
import io.strata.agent.linux.users.TaskUser;
import io.strata.agent.linux.users.TaskUsers;
import io.strata.agent.state.StateFiles;
import io.strata.api.CommandInfo;
import io.strata.api.Reason;
import io.strata.api.TaskInfo;
import io.strata.api.json.Codec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

/**
 * Native Linux tasks in cgroups (v1, v2 or hybrid). Each task runs under a small supervisor ({@link
 * Supervisor}) that outlives the agent and records the exit status in the agent's run directory;
 * the agent learns of its end through a pidfd ({@link ExitWatcher}), reads the kernel's OOM
 * counters, removes the cgroups and reports. Policy comes from the {@link CgroupIsolator},
 * mechanism from the {@link HostOpExecutor}.
 */
public final class LinuxContainerizer
    extends GracefulContainerizer<LinuxContainerizer.NativeContainer> {
  public static final String NAME = "linux";
  private static final System.Logger LOG = System.getLogger(LinuxContainerizer.class.getName());

  private static final JavaType ENV =
      Codec.JSON.mapper().getTypeFactory().constructMapType(Map.class, String.class, String.class);

  private final Path runDir;
  private final CgroupIsolator isolator;
  private final HostOpExecutor ops;
  private final TaskUsers users;
  private final Clock clock;
  private final Supervisor supervisor;
  private final ExecutorService callbacks;
  private final ExitWatcher watcher;

  /** One task's live state on this instance. */
  static final class NativeContainer extends GracefulContainerizer.Held {
    final TaskCgroups cgroups;
    final Path exitFile;
    final TaskUser.Identity user; // null: recovered, and its user is no longer known
    final Path sandbox;
    final Map<String, String> env;

    NativeContainer(
        ContainerId id,
        TaskCgroups cgroups,
        Path exitFile,
        TaskUser.Identity user,
        Path sandbox,
        Map<String, String> env) {
      super(id);
      this.cgroups = cgroups;
      this.exitFile = exitFile;
      this.user = user;
      this.sandbox = sandbox;
      this.env = Map.copyOf(env);
    }
  }

  private LinuxContainerizer(Path runDir, CgroupIsolator isolator, TaskUsers users, Clock clock)
      throws IOException {
    this.runDir = runDir;
    this.isolator = isolator;
    this.ops = new HostOpExecutor(KILL_PATIENCE);
    this.users = users;
    this.clock = clock;
    this.supervisor =
        Supervisor.install(
            runDir,
            isolator.layout().hierarchies().stream()
                .filter(h -> !h.equals(isolator.layout().unified()))
                .toList());
    this.callbacks =
        Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("strata-linux-", 0).factory());
    this.watcher = new ExitWatcher(callbacks);
  }

  /**
   * Sets up the agent's parent cgroups and returns a containerizer keeping its per-task files in
   * {@code workDir/linux} (0700), running tasks as {@code users} says.
   */
  public static LinuxContainerizer start(
      Path workDir, CgroupIsolator isolator, TaskUsers users, Clock clock) throws IOException {
    if (!Posix.canSpawn()) {
      throw new IOException("the Linux agent needs glibc 2.34 or newer (posix_spawn closefrom)");
    }
    new HostOpExecutor(KILL_PATIENCE).perform(isolator.setup());
    return new LinuxContainerizer(workDir.resolve(NAME), isolator, users, clock);
  }

  /** {@link #start(Path, CgroupIsolator, TaskUsers, Clock)} with tasks run as the users named. */
  public static LinuxContainerizer start(
      Path workDir, CgroupIsolator isolator, boolean allowRootTasks, Clock clock)
      throws IOException {
    return start(workDir, isolator, TaskUsers.named(allowRootTasks), clock);
  }

  public CgroupIsolator isolator() {
    return isolator;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<String> capabilities() {
    return isolator.layout().capabilities();
  }

  @Override
  public boolean handles(TaskInfo task) {
    return task.container() == null;
  }

  @Override
  public LaunchResult launch(LaunchSpec spec) {
    if (containers.holds(spec.containerId())) {
      throw new IllegalStateException("container " + spec.containerId() + " was already launched");
    }
    try {
      TaskUser.Resolution who = users.resolve(spec);
      if (who instanceof TaskUser.Refused r) {
        return new LaunchResult.Failed(r.reason(), r.message());
      }
      TaskUser.Resolved user = (TaskUser.Resolved) who;
      Map<String, String> env = environment(spec, user.user());
      List<String> command = new ArrayList<>(user.prefix());
      CommandInfo ci = spec.task().command();
      if (ci.isShell()) {
        command.addAll(List.of("/bin/sh", "-c", ci.shell()));
      } else {
        String exe = ci.argv().get(0);
        if (Executables.find(exe, env.get("PATH"), spec.sandbox()).isEmpty()) {
          return new LaunchResult.Failed(
              Reason.LAUNCH_FAILED,
              "task.command.argv[0]: '"
                  + exe
                  + "' is not an executable file"
                  + (exe.contains("/") ? "" : " in PATH=" + env.get("PATH")));
        }
        command.addAll(ci.argv());
      }
      CgroupIsolator.Placement placement = isolator.place(spec.containerId(), spec.task());
      if (placement instanceof CgroupIsolator.Refused r) {
        return new LaunchResult.Failed(r.reason(), r.message());
      }
      CgroupIsolator.Placed placed = (CgroupIsolator.Placed) placement;
      return start(spec, user.user(), env, command, placed);
    } catch (IOException e) {
      throw new ContainerizerException(
          "cannot launch " + spec.containerId() + ": " + e.getMessage(), e);
    }
  }

  private LaunchResult start(
      LaunchSpec spec,
      TaskUser.Identity user,
      Map<String, String> env,
      List<String> command,
      CgroupIsolator.Placed placed)
      throws IOException {
    Path dir = StateFiles.privateDirectory(runDir.resolve(spec.containerId().value()));
    Path exitFile = dir.resolve("exit");
    Files.deleteIfExists(exitFile);
    prepareSandbox(spec, user);
    Path environment = dir.resolve("environment");
    Files.deleteIfExists(environment);
    Files.write(
        Files.createFile(environment, StateFiles.privateFile()), Codec.JSON.encodeBytes(env));
    NativeContainer container =
        new NativeContainer(
            spec.containerId(), placed.cgroups(), exitFile, user, spec.sandbox(), env);
    if (!containers.add(spec.containerId(), container)) {
      throw new IllegalStateException("container " + spec.containerId() + " was already launched");
    }
    Supervisor.Started started;
    try {
      ops.perform(placed.create());
      CgroupIsolator.Spawn spawn = placed.spawn();
      if (!spawn.bornIn().isEmpty() && !supervisor.canSpawnInside()) {
        // The spawning thread is unusable: let the task's first process join every cgroup itself.
        spawn = new CgroupIsolator.Spawn(List.of(), placed.cgroups().procsFiles(), List.of(), true);
      }
      started =
          supervisor.start(
              spawn, command, env, spec.sandbox(), spec.stdout(), spec.stderr(), exitFile);
    } catch (Supervisor.NotReady e) {
      discard(container);
      return new LaunchResult.Failed(Reason.LAUNCH_FAILED, e.getMessage());
    } catch (IOException | RuntimeException e) {
      discard(container);
      throw e;
    }
    watch(container, started.pid(), started.startTime());
    Map<String, String> details = new java.util.TreeMap<>(user.details());
    details.put("exitFile", exitFile.toString());
    details.put("sandbox", spec.sandbox().toString());
    return new LaunchResult.Launched(
        new ContainerCheckpoint(
            spec.containerId(),
            NAME,
            started.pid(),
            started.startTime(),
            placed.cgroups().tracking().toString(),
            details));
  }

  /**
   * Gives the sandbox (0700: no other task may enter it) to the task's user, with the log files it
   * appends to.
   */
  private static void prepareSandbox(LaunchSpec spec, TaskUser.Identity user) throws IOException {
    for (Path log : List.of(spec.stdout(), spec.stderr())) {
      if (!Files.exists(log)) {
        Files.createFile(log, StateFiles.privateFile());
      }
    }
    StateFiles.privateDirectory(spec.sandbox());
    if (Posix.euid() == 0) {
      Posix.chown(spec.sandbox(), user.uid(), user.gid());
      Posix.chown(spec.stdout(), user.uid(), user.gid());
      Posix.chown(spec.stderr(), user.uid(), user.gid());
    }
  }

  private static Map<String, String> environment(LaunchSpec spec, TaskUser.Identity user) {
    Map<String, String> env = new java.util.TreeMap<>();
    env.put("PATH", Executables.DEFAULT_PATH);
    env.put("HOME", user.home().isEmpty() ? "/" : user.home());
    env.put("USER", user.name());
    env.put("LOGNAME", user.name());
    env.put("SHELL", user.shell().isEmpty() ? "/bin/sh" : user.shell());
    env.putAll(spec.environment());
    return env;
  }

  private void watch(NativeContainer container, long pid, long startTime) throws IOException {
    watcher
        .onExit(pid, startTime)
        .whenComplete(
            (ignored, failure) -> {
              if (failure != null) {
                container.termination.completeExceptionally(failure);
              } else {
                finish(container);
              }
            });
  }

  /** The supervisor has exited: read the verdict, clear the cgroups, report. */
  private void finish(NativeContainer c) {
    try {
      Optional<Integer> status = Supervisor.exitStatus(c.exitFile);
      CgroupStats.MemoryVerdict memory = CgroupStats.memoryVerdict(c.cgroups);
      if (!CgroupStats.processes(c.cgroups.trackingProcs()).isEmpty()) {
        // Children the task left behind die with it.
        ops.perform(isolator.hardKill(c.cgroups));
      }
      ops.perform(isolator.remove(c.cgroups));
      deleteRunDir(c.id);
      c.termination.complete(TerminationRules.decide(status, memory, c.killRequested));
    } catch (IOException | RuntimeException e) {
      c.termination.completeExceptionally(
          new ContainerizerException("cannot clean up " + c.id + ": " + e.getMessage(), e));
    }
  }

  private void discard(NativeContainer c) {
    containers.remove(c.id);
    try {
      if (Files.exists(c.cgroups.tracking())) {
        ops.perform(isolator.hardKill(c.cgroups));
      }
      ops.perform(isolator.remove(c.cgroups));
      deleteRunDir(c.id);
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "cannot clean up failed launch " + c.id, e);
    }
  }

  private void deleteRunDir(ContainerId id) throws IOException {
    Path dir = runDir.resolve(id.value());
    if (Files.isDirectory(dir)) {
      try (Stream<Path> files = Files.list(dir)) {
        for (Path f : files.toList()) {
          Files.deleteIfExists(f);
        }
      }
      Files.deleteIfExists(dir);
    }
  }

  @Override
  protected void politeStop(NativeContainer c) throws IOException {
    ops.perform(isolator.politeStop(c.cgroups));
  }

  @Override
  protected void hardKill(NativeContainer c) throws IOException {
    if (Files.exists(c.cgroups.tracking())) {
      ops.perform(isolator.hardKill(c.cgroups));
    }
  }

  @Override
  public Optional<ResourceUsage> usage(ContainerId id) {
    NativeContainer c = containers.get(id);
    if (c.termination.isDone()) {
      return Optional.empty();
    }
    try {
      return Optional.of(CgroupStats.usage(c.cgroups, clock.instant()));
    } catch (IOException e) {
      if (c.termination.isDone()) {
        return Optional.empty();
      }
      throw new ContainerizerException("cannot read the usage of " + id + ": " + e.getMessage(), e);
    }
  }

  @Override
  public ExecResult exec(ContainerId id, CommandInfo command, Duration timeout) {
    NativeContainer c = containers.get(id);
    if (c.termination.isDone()) {
      throw new IllegalStateException("container " + id + " has ended");
    }
    if (c.user == null) {
      throw new ContainerizerException("the user of " + id + " is no longer known on this agent");
    }
    TaskUser.Resolution who = TaskUser.become(c.user);
    if (who instanceof TaskUser.Refused r) {
      throw new ContainerizerException(r.message());
    }
    return NativeExec.run(
        c.cgroups, ((TaskUser.Resolved) who).prefix(), c.env, c.sandbox, command, timeout);
  }

  @Override
  public List<Recovered> recover(List<ContainerCheckpoint> checkpoints) {
    List<Recovered> out = new ArrayList<>();
    Set<String> known = new HashSet<>();
    try {
      for (ContainerCheckpoint cp : checkpoints) {
        known.add(cp.containerId().value());
        out.add(recoverOne(cp));
      }
      killOrphans(known);
    } catch (IOException e) {
      throw new ContainerizerException("cannot recover containers: " + e.getMessage(), e);
    }
    return out;
  }

  private Recovered recoverOne(ContainerCheckpoint cp) throws IOException {
    TaskCgroups cg = isolator.cgroupsOf(cp.containerId());
    Path exitFile =
        Path.of(
            cp.details()
                .getOrDefault(
                    "exitFile",
                    runDir.resolve(cp.containerId().value()).resolve("exit").toString()));
    Path dir = runDir.resolve(cp.containerId().value());
    Map<String, String> env = Map.of();
    if (Files.exists(dir.resolve("environment"))) {
      env = Codec.JSON.decode(Files.readAllBytes(dir.resolve("environment")), ENV);
    }
    Path sandbox = Path.of(cp.details().getOrDefault("sandbox", dir.toString()));
    NativeContainer c =
        new NativeContainer(
            cp.containerId(),
            cg,
            exitFile,
            TaskUser.Identity.fromDetails(cp.details(), sandbox).orElse(null),
            sandbox,
            env);
    containers.put(cp.containerId(), c);
    if (Supervisor.exitStatus(exitFile).isEmpty()
        && ProcStat.isSameRunningProcess(cp.pid(), cp.processStartTime())) {
      watch(c, cp.pid(), cp.processStartTime());
      return new Recovered.Running(cp.containerId());
    }
    finish(c);
    try {
      return new Recovered.Ended(cp.containerId(), c.termination.get());
    } catch (ExecutionException e) {
      throw new IOException(e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /** Kills and removes task cgroups under the agent's parent that no checkpoint names. */
  private void killOrphans(Set<String> known) throws IOException {
    Set<String> names = new HashSet<>();
    for (Path hierarchyParent : isolator.parentDirectories()) {
      if (!Files.isDirectory(hierarchyParent)) {
        continue;
      }
      try (Stream<Path> children = Files.list(hierarchyParent)) {
        children.filter(Files::isDirectory).forEach(p -> names.add(p.getFileName().toString()));
      }
    }
    for (String name : names) {
      if (known.contains(name)) {
        continue;
      }
      ContainerId orphan;
      try {
        orphan = ContainerId.of(name);
      } catch (IllegalArgumentException e) {
        LOG.log(
            System.Logger.Level.WARNING,
            "ignoring foreign cgroup " + name + " under the agent's parent");
        continue;
      }
      LOG.log(System.Logger.Level.WARNING, "killing orphan container " + orphan);
      TaskCgroups cg = isolator.cgroupsOf(orphan);
      List<HostOp> kill = new ArrayList<>();
      if (Files.exists(cg.tracking())) {
        kill.addAll(isolator.hardKill(cg));
      }
      kill.addAll(isolator.remove(cg));
      ops.perform(kill);
      deleteRunDir(orphan);
    }
  }

  @Override
  public void close() {
    watcher.close();
    supervisor.close();
    callbacks.shutdown();
  }
}
