package io.strata.benchmarks.agent;

import io.strata.agent.AgentConfig;
import io.strata.agent.containerizer.ContainerId;
import io.strata.agent.containerizer.Containerizer;
import io.strata.agent.containerizer.ExecResult;
import io.strata.agent.containerizer.LaunchResult;
import io.strata.agent.containerizer.LaunchSpec;
import io.strata.agent.containerizer.Recovered;
import io.strata.agent.containerizer.ResourceUsage;
import io.strata.agent.containerizer.Termination;
import io.strata.agent.health.HealthChecker;
import io.strata.agent.linux.LinuxAgentConfig;
import io.strata.agent.linux.LinuxAgentMain;
import io.strata.agent.linux.jna.Posix;
import io.strata.agent.status.StatusOutbox;
import io.strata.agent.tasks.Sandboxes;
import io.strata.agent.tasks.TaskStore;
import io.strata.agent.tasks.Tasks;
import io.strata.api.CommandInfo;
import io.strata.api.ContainerInfo;
import io.strata.api.FrameworkId;
import io.strata.api.FrameworkInfo;
import io.strata.api.Resources;
import io.strata.api.TaskId;
import io.strata.api.TaskInfo;
import io.strata.api.TaskState;
import io.strata.api.agent.AgentMessage;
import io.strata.benchmarks.Harness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Task launch latency on this machine, side by side in one run (round-robin, so they share the
 * machine's noise):
 *
 * <ul>
 *   <li><b>agent, native</b>: RunTask handed to the agent's task table → the task's first process
 *       runs in its cgroups (the containerizer's launch returns once the process is in them: born
 *       there on v1/hybrid, said "ready" from inside on v2). Includes admission, the task record
 *       (written, not fsync'd), the sandbox, cgroup creation and limits, the supervisor and the
 *       user switch (setpriv, to nobody).
 *   <li><b>bare posix_spawn</b>: the same command spawned directly (the limit).
 *   <li><b>bare ProcessBuilder</b>: the same command through the JDK.
 *   <li><b>agent, docker</b>: RunTask → the container started by the engine (docker-java).
 * </ul>
 *
 * Tasks ask for 1 CPU and 64 MiB: a task's CPU share (cpu.shares 1024) applies from its first
 * instruction, so a smaller request makes its start wait longer for the CPU on a busy machine.
 *
 * <p>Usage: {@code AgentLaunchLatency [launches=1000] [dockerLaunches=1000] [warmup=50] [image]}.
 * The native paths are measured first, round-robin; then the Docker launches. Needs root, cgroups,
 * and (for the Docker column) an engine with the image.
 */
public final class AgentLaunchLatency {
  static final String COMMAND = "exec sleep 100000";
  static final FrameworkId FW = FrameworkId.of("bench");
  static final FrameworkInfo FRAMEWORK =
      new FrameworkInfo(FW, "bench", null, Set.of("bench"), null, null, null);

  /** Records when launch returned, per task. */
  static final class Timed implements Containerizer {
    final Containerizer inner;
    final Map<TaskId, CompletableFuture<Long>> launchedAt = new ConcurrentHashMap<>();
    final Map<TaskId, Long> enteredAt = new ConcurrentHashMap<>();

    Timed(Containerizer inner) {
      this.inner = inner;
    }

    /** Completes with the time the task's launch returned. */
    CompletableFuture<Long> launched(TaskId task) {
      return launchedAt.computeIfAbsent(task, t -> new CompletableFuture<>());
    }

    @Override
    public LaunchResult launch(LaunchSpec spec) {
      enteredAt.put(spec.task().taskId(), System.nanoTime());
      LaunchResult r = inner.launch(spec);
      launched(spec.task().taskId()).complete(System.nanoTime());
      return r;
    }

    @Override
    public String name() {
      return inner.name();
    }

    @Override
    public Set<String> capabilities() {
      return inner.capabilities();
    }

    @Override
    public boolean handles(TaskInfo task) {
      return inner.handles(task);
    }

    @Override
    public CompletableFuture<Termination> wait(ContainerId id) {
      return inner.wait(id);
    }

    @Override
    public void kill(ContainerId id, Duration gracePeriod) {
      inner.kill(id, gracePeriod);
    }

    @Override
    public Optional<ResourceUsage> usage(ContainerId id) {
      return inner.usage(id);
    }

    @Override
    public ExecResult exec(ContainerId id, CommandInfo command, Duration timeout) {
      return inner.exec(id, command, timeout);
    }

    @Override
    public List<Recovered> recover(List<io.strata.agent.containerizer.ContainerCheckpoint> c) {
      return inner.recover(c);
    }

    @Override
    public void close() {
      inner.close();
    }
  }

  public static void main(String[] args) {
    Harness.run("agent-launch", () -> runWith(args));
  }

  private static void runWith(String[] args) throws Exception {
    int launches = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int dockerLaunches = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 50;
    String image = args.length > 3 ? args[3] : "strata-agent-test/busybox:1";
    String id = UUID.randomUUID().toString().substring(0, 8);
    Path work = Files.createTempDirectory("strata-bench-");
    Files.setPosixFilePermissions(
        work, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    LinuxAgentConfig config =
        new LinuxAgentConfig(
            io.strata.api.json.Codec.YAML.decode(
                "{workDir: '" + work + "', allocator: 'http://127.0.0.1:1', joinToken: t}",
                AgentConfig.class),
            new LinuxAgentConfig.Linux(null, "strata-bench-" + id, null),
            new io.strata.agent.main.DockerSection(
                dockerLaunches > 0
                    ? io.strata.agent.main.DockerSection.Mode.ON
                    : io.strata.agent.main.DockerSection.Mode.OFF,
                null));
    List<Timed> containerizers =
        LinuxAgentMain.containerizers(config, Clock.systemUTC()).stream().map(Timed::new).toList();
    StatusOutbox outbox =
        new StatusOutbox(
            work.resolve("outbox"), io.strata.agent.Agent.Timings.STATUS_UPDATES, s -> {});
    HealthChecker health = new HealthChecker("127.0.0.1");
    Tasks tasks =
        new Tasks(
            new Tasks.Settings(
                "bench", "nobody", List.of(), () -> new Resources(1L << 40, 1L << 50, 0, 0, null)),
            new TaskStore(work.resolve("meta/tasks")),
            outbox,
            new Sandboxes(work.resolve("sandboxes"), 1 << 20, 1),
            List.copyOf(containerizers),
            health,
            Clock.systemUTC(),
            Optional::empty);
    Percentiles agentNative =
        new Percentiles("agent, native (RunTask → running in its cgroups)", launches);
    Percentiles nativeContainerizer =
        new Percentiles("  of which LinuxContainerizer.launch", launches);
    Percentiles spawn = new Percentiles("bare posix_spawn (JNA) of the same command", launches);
    Percentiles builder =
        new Percentiles("bare ProcessBuilder.start of the same command", launches);
    Percentiles agentDocker =
        new Percentiles("agent, docker (RunTask → container started)", Math.max(1, dockerLaunches));
    Path devNull = Path.of("/dev/null");
    System.out.println("load average at the start: " + loadAverage());
    // Phase 1: the three native paths, round-robin so they share the machine's noise.
    for (int i = 0; i < warmup + launches; i++) {
      boolean record = i >= warmup;
      long t =
          viaAgent(
              tasks,
              outbox,
              containerizers.get(0),
              TaskInfo.command(TaskId.of("n" + i), COMMAND, Resources.of(1000, 64L << 20)));
      if (record) {
        agentNative.add(t);
        nativeContainerizer.add(lastContainerizerNanos);
      }
      long t0 = System.nanoTime();
      long pid =
          Posix.spawn(
              new Posix.SpawnRequest(
                  "/bin/sh",
                  List.of("sh", "-c", COMMAND),
                  Map.of("PATH", "/usr/bin:/bin"),
                  devNull,
                  devNull,
                  devNull,
                  -1,
                  false));
      long t1 = System.nanoTime();
      Posix.signal(pid, 9);
      while (!Posix.reap(pid)) {
        Thread.onSpinWait();
      }
      if (record) {
        spawn.add(t1 - t0);
      }
      t0 = System.nanoTime();
      Process p = new ProcessBuilder("/bin/sh", "-c", COMMAND).start();
      t1 = System.nanoTime();
      p.destroyForcibly().waitFor();
      if (record) {
        builder.add(t1 - t0);
      }
    }
    // Phase 2: containers, apart: the engine's own work (containerd, runc, removals) would
    // otherwise load the machine under the native measurements.
    for (int i = 0; containerizers.size() > 1 && i < warmup + dockerLaunches; i++) {
      TaskInfo boxed =
          new TaskInfo(
              TaskId.of("d" + i),
              null,
              CommandInfo.shell(COMMAND),
              ContainerInfo.of(image),
              Resources.of(1000, 64L << 20),
              null,
              null,
              null,
              null,
              null,
              null,
              null);
      long t = viaAgent(tasks, outbox, containerizers.get(1), boxed);
      if (i >= warmup) {
        agentDocker.add(t);
      }
    }
    System.out.println("load average at the end: " + loadAverage());
    System.out.println(Percentiles.header());
    System.out.println(agentNative.row());
    System.out.println(nativeContainerizer.row());
    System.out.println(spawn.row());
    System.out.println(builder.row());
    if (dockerLaunches > 0) {
      System.out.println(agentDocker.row());
    }
    System.out.printf(
        java.util.Locale.ROOT,
        "agent native p50 - bare posix_spawn p50 = %.2f ms (goal <= 5 ms)%n",
        agentNative.at(0.5) - spawn.at(0.5));
    outbox.close();
    health.close();
    containerizers.forEach(Containerizer::close);
    // Leave nothing behind: the (empty) parent cgroups and the work directory.
    for (String h : List.of("cpu", "cpuacct", "memory", "pids", "freezer", "unified")) {
      Files.deleteIfExists(Path.of("/sys/fs/cgroup", h, "strata-bench-" + id));
    }
    try (var files = Files.walk(work)) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /**
   * Runs one task through the agent's task table, measures, then kills it (not measured). The
   * measuring thread blocks while the agent launches, as the agent's stream reader does once it has
   * handed a RunTask over: a thread spinning here would take one of the machine's two CPUs from the
   * launch it measures (and not from the bare spawns, measured without one).
   */
  static long viaAgent(Tasks tasks, StatusOutbox outbox, Timed containerizer, TaskInfo task)
      throws Exception {
    long t0 = System.nanoTime();
    tasks.run(new AgentMessage.RunTask(FW, FRAMEWORK, task));
    long t1 = containerizer.launched(task.taskId()).get(5, java.util.concurrent.TimeUnit.MINUTES);
    while (tasks.records().stream()
        .noneMatch(r -> r.taskId().equals(task.taskId()) && r.state() == TaskState.RUNNING)) {
      Thread.sleep(0, 100_000);
    }
    tasks.kill(new AgentMessage.KillTask(FW, task.taskId(), 0L, null));
    // Measure each launch on a quiet agent: wait until the task's terminal update is on disk (its
    // fsyncs would otherwise contend with the next launch for the file system's journal).
    while (outbox.pending().stream()
        .noneMatch(s -> s.taskId().equals(task.taskId()) && s.state().isTerminal())) {
      Thread.sleep(1);
    }
    Long entered = containerizer.enteredAt.get(task.taskId());
    lastContainerizerNanos = entered == null ? 0 : t1 - entered;
    return t1 - t0;
  }

  static String loadAverage() throws java.io.IOException {
    return Files.readString(Path.of("/proc/loadavg")).trim();
  }

  /** Of the last measured launch, the part spent in the containerizer's launch. */
  static long lastContainerizerNanos;
}
