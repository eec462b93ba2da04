package io.strata.agent.linux;

import io.strata.agent.Agent;
import io.strata.agent.AgentConfig;
import io.strata.agent.BootstrapConfig;
import io.strata.agent.containerizer.ContainerId;
import io.strata.agent.containerizer.Containerizer;
import io.strata.agent.linux.cgroups.CgroupIsolator;
import io.strata.agent.linux.cgroups.CgroupLayout;
import io.strata.agent.linux.cgroups.HostOp;
import io.strata.agent.linux.docker.DockerContainerizer;
import io.strata.agent.linux.docker.DockerRun;
import io.strata.agent.linux.docker.EngineProbe;
import io.strata.agent.linux.files.LinuxSandboxFiles;
import io.strata.api.FrameworkId;
import io.strata.api.TaskInfo;
import io.strata.api.json.Codec;
import io.strata.api.json.ValidationException;
import io.strata.api.json.Violation;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

/**
 * The Linux agent's entry point ({@code strata agent} wraps it).
 *
 * <pre>
 * LinuxAgentMain --config agent.yaml                 run the agent (or --config agent.json, the
 *                                                    bootstrap form the Linux template writes)
 * LinuxAgentMain --config agent.yaml --check         validate the config and exit
 * LinuxAgentMain --config agent.yaml --dry-run task.json
 *                                                    print the host operations that would isolate
 *                                                    the task (TaskInfo JSON), without doing them
 * </pre>
 *
 * Exit codes: 0 done (stopped by a Shutdown message, or --check/--dry-run), 1 cannot run, 2 bad
 * config or arguments (every mistake listed with its field path).
 */
public final class LinuxAgentMain {
  private static final String JNA_PLATFORM_PATH = "jna.platform.library.path";

  /**
   * The JVM flags the agent is started with ({@code bin/strata agent}, the agents of {@code strata
   * up}, the memory benchmark), chosen for a small resident set: measured in BENCHMARKS.md ("Linux
   * agent"), each explained in this module's README. {@code bin/strata} spells them out again (a
   * cli test keeps the two equal).
   */
  public static final List<String> JVM_FLAGS =
      List.of(
          "-XX:+UseSerialGC",
          "-Xms8m",
          "-Xmx64m",
          "-Xmn2m",
          "-XX:MinHeapFreeRatio=10",
          "-XX:MaxHeapFreeRatio=20",
          "-Xss256k",
          "-XX:MaxMetaspaceSize=64m",
          "-XX:ReservedCodeCacheSize=16m",
          "-XX:TieredStopAtLevel=1",
          "-XX:CICompilerCount=1",
          "-XX:CompileThresholdScaling=10",
          "-XX:TrimNativeHeapInterval=5000",
          "-XX:MaxDirectMemorySize=16m",
          "-XX:-UsePerfData");

  private LinuxAgentMain() {}

  public static void main(String[] args) {
    System.setProperty(
        "java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tL %4$s %3$s: %5$s%6$s%n");
    if (System.getProperty(JNA_PLATFORM_PATH) == null) {
      // libc is the only native library the agent loads, and JNA takes it from the process itself
      // (dlopen(NULL)). Without a platform path JNA runs `ldconfig -p` when it starts (a process,
      // its reaper thread, ~0.4 MB resident) to build a search path the agent never uses.
      System.setProperty(JNA_PLATFORM_PATH, "");
    }
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    Path config = null;
    Path dryRun = null;
    boolean check = false;
    List<String> flags = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--config" -> config = i + 1 < args.length ? Path.of(args[++i]) : null;
        case "--dry-run" -> dryRun = i + 1 < args.length ? Path.of(args[++i]) : null;
        case "--check" -> check = true;
        case "--help", "-h" -> {
          out.println(
              "usage: strata agent --config FILE [--check | --dry-run TASK.json]\n"
                  + "       strata agent --allocator URL[,URL...]|zk://HOST:PORT,.../ROOT"
                  + " --join-token-file FILE --work-dir DIR"
                  + " [--hostname NAME] [--listen HOST:PORT] [--resources TEXT] [--reserved TEXT]"
                  + " [--ports RANGES] [--cgroup-parent PATH] [--attribute KEY=VALUE]..."
                  + " [--docker auto|on|off] [--default-user USER] [--task-uid-range FIRST-LAST|off]");
          return 0;
        }
        default -> {
          if (!AgentFlags.NAMES.contains(args[i])) {
            err.println("unknown argument '" + args[i] + "'; see --help");
            return 2;
          }
          flags.add(args[i]);
          if (i + 1 < args.length) {
            flags.add(args[++i]);
          }
        }
      }
    }
    if (config != null && !flags.isEmpty()) {
      err.println("--config FILE or the agent's flags (" + flags.get(0) + "), not both");
      return 2;
    }
    if (config == null && !flags.isEmpty()) {
      try {
        config = AgentFlags.parse(flags).writeConfig();
      } catch (IllegalArgumentException e) {
        err.println(e.getMessage() + "; see --help");
        return 2;
      } catch (IOException e) {
        err.println("cannot write the agent's config: " + describe(e));
        return 2;
      }
    }
    if (config == null) {
      err.println(
          "--config FILE (or --allocator, --join-token-file and --work-dir) is required;"
              + " see --help");
      return 2;
    }
    LinuxAgentConfig c;
    try {
      c = readConfig(config);
    } catch (ValidationException e) {
      printViolations(err, config, e);
      return 2;
    } catch (IOException e) {
      err.println(config + ": " + describe(e));
      return 2;
    }
    if (check) {
      out.println(config + ": ok");
      return 0;
    }
    try {
      if (dryRun != null) {
        TaskInfo task;
        try {
          task = read(dryRun, TaskInfo.class);
        } catch (ValidationException e) {
          printViolations(err, dryRun, e);
          return 2;
        }
        dryRun(c, task, out);
        return 0;
      }
      return runAgent(c, err);
    } catch (IOException | RuntimeException e) {
      err.println("the agent cannot run: " + describe(e));
      return 1;
    }
  }

  /**
   * The agent's config file in either form: the agent config ({@code agent}, {@code linux}, {@code
   * docker}; YAML, or JSON if it ends in .json), or the bootstrap config the Linux template writes
   * ({@code allocatorUrl}, {@code joinTokenFile}, {@code caFile}, …: {@link BootstrapConfig}),
   * which takes the defaults of {@code linux} and {@code docker}.
   */
  public static LinuxAgentConfig readConfig(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    Codec codec = file.toString().endsWith(".json") ? Codec.JSON : Codec.YAML;
    com.fasterxml.jackson.databind.JsonNode tree;
    try {
      tree = codec.mapper().readTree(bytes);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return codec.decode(bytes, LinuxAgentConfig.class); // words the syntax error
    }
    if (BootstrapConfig.isBootstrap(tree)) {
      return new LinuxAgentConfig(
          BootstrapConfig.load(file, tree, AgentConfig.DEFAULT_RESERVED), null, null);
    }
    return codec.decode(bytes, LinuxAgentConfig.class);
  }

  private static <T> T read(Path file, Class<T> type) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    return (file.toString().endsWith(".json") ? Codec.JSON : Codec.YAML).decode(bytes, type);
  }

  private static void printViolations(PrintStream err, Path file, ValidationException e) {
    for (Violation v : e.violations()) {
      err.println(file + ": " + (v.field().isEmpty() ? "" : v.field() + ": ") + v.message());
    }
  }

  private static String describe(Exception e) {
    if (e instanceof NoSuchFileException) {
      return "no such file";
    }
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }

  /** Builds the cgroup isolator this machine and config call for. */
  public static CgroupIsolator isolator(LinuxAgentConfig c) throws IOException {
    CgroupLayout layout = CgroupLayout.detect(c.linux().cgroups());
    boolean cgroupKill = layout.unified() != null && kernelHasCgroupKill();
    return new CgroupIsolator(
        layout, c.linux().cgroupParent(), c.linux().defaultPidsLimit(), cgroupKill);
  }

  /** cgroup.kill arrived in Linux 5.14. */
  static boolean kernelHasCgroupKill() {
    String[] v = System.getProperty("os.version").split("[.-]");
    try {
      int major = Integer.parseInt(v[0]);
      int minor = Integer.parseInt(v[1]);
      return major > 5 || (major == 5 && minor >= 14);
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** The containerizers this machine and config call for. */
  public static List<Containerizer> containerizers(LinuxAgentConfig c, Clock clock)
      throws IOException {
    Path work = Path.of(c.agent().workDir()).toAbsolutePath();
    TaskUsers users = users(c, work);
    List<Containerizer> list = new ArrayList<>();
    list.add(LinuxContainerizer.start(work, isolator(c), users, clock));
    if (c.docker().mode() != LinuxAgentConfig.Docker.Mode.OFF) {
      // Asked over a plain socket: docker-java is loaded only once a container is to be run.
      var unreachable = EngineProbe.of(c.docker().host()).unreachable();
      if (unreachable.isEmpty()) {
        list.add(
            new DockerContainerizer(
                c.docker().host(), work, c.linux().defaultPidsLimit(), users, clock));
      } else if (c.docker().mode() == LinuxAgentConfig.Docker.Mode.ON) {
        throw new IOException(
            "docker.mode is on but the engine at "
                + c.docker().host()
                + " does not answer: "
                + unreachable.get());
      } else {
        System.getLogger(LinuxAgentMain.class.getName())
            .log(
                System.Logger.Level.WARNING,
                "Docker at "
                    + c.docker().host()
                    + " does not answer; running without containers: "
                    + unreachable.get());
      }
    }
    return list;
  }

  /**
   * Whom tasks run as: per-app uids from {@code linux.taskUids} (their mapping kept in the work
   * dir's meta/), unless it is off.
   */
  static TaskUsers users(LinuxAgentConfig c, Path work) throws IOException {
    var range = c.linux().taskUidRange();
    if (range.isEmpty()) {
      return TaskUsers.named(c.agent().allowRootTasks());
    }
    io.strata.agent.tasks.StateFiles.prepare(work);
    return TaskUsers.isolated(
        c.agent().allowRootTasks(),
        c.agent().defaultUser(),
        io.strata.agent.linux.users.TaskUids.open(work, range.get()));
  }

  private static int runAgent(LinuxAgentConfig c, PrintStream err) throws IOException {
    Clock clock = Clock.systemUTC();
    Agent agent =
        new Agent(
            c.agent(),
            containerizers(c, clock),
            new LinuxMachine(),
            clock,
            Agent.Timings.DEFAULT,
            new LinuxSandboxFiles());
    Runtime.getRuntime().addShutdownHook(new Thread(agent::close, "strata-agent-stop"));
    agent.start();
    try {
      String reason = agent.shutdownRequested().get();
      err.println("the allocator shut this agent down: " + reason);
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    } catch (ExecutionException e) {
      err.println("the agent stopped: " + e.getCause().getMessage());
      return 1;
    }
  }

  /** Prints what isolating {@code task} would do on this machine; touches nothing. */
  static void dryRun(LinuxAgentConfig c, TaskInfo task, PrintStream out) throws IOException {
    ContainerId id = ContainerId.forTask(task.taskId(), new UUID(0, 0));
    if (task.container() != null) {
      var spec =
          new io.strata.agent.containerizer.LaunchSpec(
              id,
              FrameworkId.of("dry-run"),
              task,
              task.user() == null ? c.agent().defaultUser() : task.user(),
              Path.of(c.agent().workDir(), "sandboxes", id.value()),
              Path.of("stdout"),
              Path.of("stderr"),
              Map.of());
      out.println("# docker container for " + task.taskId());
      out.println(Codec.YAML.encode(DockerRun.of(spec, "<agent>", c.linux().defaultPidsLimit())));
      return;
    }
    CgroupIsolator isolator = isolator(c);
    out.println("# cgroups " + isolator.layout().mode() + ": agent setup");
    print(out, isolator.setup());
    switch (isolator.place(id, task)) {
      case CgroupIsolator.Refused r ->
          out.println("# refused (" + r.reason() + "): " + r.message());
      case CgroupIsolator.Placed p -> {
        out.println("# launch " + task.taskId() + " as " + id);
        print(out, p.create());
        p.cgroups()
            .procsFiles()
            .forEach(f -> out.println("join " + f + " (the task's first process, before exec)"));
        out.println("# kill: polite stop, then after " + task.killGracePeriodMillis() + " ms");
        print(out, isolator.politeStop(p.cgroups()));
        print(out, isolator.hardKill(p.cgroups()));
        print(out, isolator.remove(p.cgroups()));
      }
    }
  }

  private static void print(PrintStream out, List<HostOp> ops) {
    ops.forEach(op -> out.println(op.describe()));
  }
}
