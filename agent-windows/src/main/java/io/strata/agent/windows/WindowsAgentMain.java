package io.strata.agent.windows;

import io.strata.agent.Agent;
import io.strata.agent.main.AgentMain;
import io.strata.agent.main.AgentRun;
import io.strata.agent.windows.container.WindowsContainers;
import io.strata.agent.windows.jna.JobKernel32;
import io.strata.agent.windows.plan.JobNames;
import io.strata.agent.windows.plan.JobPlan;
import io.strata.agent.windows.plan.LaunchSpec;
import io.strata.agent.windows.service.ServiceLog;
import io.strata.agent.windows.service.WindowsService;
import io.strata.api.PortRanges;
import io.strata.api.TaskInfo;
import io.strata.api.json.Codec;
import io.strata.api.json.ValidationException;
import io.strata.host.HostOs;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * The Windows agent's entry point. {@code strata agent …} on Windows runs {@link #run} with its
 * arguments; the Windows service created by the bootstrap template runs {@code java -cp DIST\lib\*
 * io.strata.cli.Main agent --windows-service --config C:\ProgramData\Strata\agent.json}.
 *
 * <pre>
 * WindowsAgentMain [run] --config FILE                      run the agent (from a console)
 * WindowsAgentMain [run] --config FILE --windows-service    run it under the Service Control Manager
 * WindowsAgentMain [run] --config FILE --check              validate the config and exit
 * WindowsAgentMain [run] --config FILE --dry-run TASK.json [--processors N]
 *                                                           print what launching TASK would do
 * WindowsAgentMain info [--work-dir DIR] [--reserve-memory-mib N] [--ports 31000-32000]
 *                                                           what this machine would register (JSON)
 * WindowsAgentMain plan TASK.json [--processors N] [--work-dir DIR]
 *                                                           the job object operations of TASK
 * </pre>
 *
 * FILE is the agent config (YAML, or JSON if it ends in .json) or the bootstrap config the Windows
 * template writes ({@link ConfigFile}). Exit codes: 0 done (stopped by the allocator's Shutdown or
 * the SCM, or --check/--dry-run), 1 cannot run, 2 bad config or arguments (every mistake listed
 * with its field path).
 */
public final class WindowsAgentMain {
  /** The service name the bootstrap template and install-service.ps1 create. */
  public static final String SERVICE_NAME = "StrataAgent";

  static final String USAGE =
      "usage: strata agent --config FILE [--check | --dry-run TASK.json [--processors N]"
          + " | --windows-service]\n"
          + "       WindowsAgentMain info|plan … (see the agent-windows README)";

  private WindowsAgentMain() {}

  public static void main(String[] args) {
    System.exit(run(List.of(args), System.out, System.err));
  }

  /** Runs the command {@code argv}; returns the process's exit code. */
  public static int run(List<String> argv, PrintStream out, PrintStream err) {
    Deque<String> args = new ArrayDeque<>(argv);
    String command = args.isEmpty() || args.peek().startsWith("--") ? "run" : args.pop();
    try {
      return switch (command) {
        case "run" -> runCommand(args, Platforms.LOCAL, out, err);
        case "info" -> info(options(args), out);
        case "plan" -> plan(options(args), out);
        case "help", "-h" -> {
          out.println(USAGE);
          yield 0;
        }
        default -> {
          err.println("unknown command '" + command + "': expected run, info or plan");
          yield 2;
        }
      };
    } catch (ValidationException e) {
      err.println("invalid task: " + e.getMessage());
      return 2;
    } catch (IllegalArgumentException | IOException e) {
      err.println(command + ": " + e.getMessage());
      return 2;
    }
  }

  /** Where the agent's platform comes from; tests of {@code run} give their own. */
  interface Platforms {
    Platforms LOCAL = WindowsNode.Platform::local;

    WindowsNode.Platform open();
  }

  /** The parsed arguments of {@code run}. */
  record RunArgs(
      Path config, boolean check, Path dryRun, Integer processors, boolean windowsService) {}

  static RunArgs runArgs(Deque<String> args) {
    Path config = null;
    Path dryRun = null;
    Integer processors = null;
    boolean check = false;
    boolean service = false;
    while (!args.isEmpty()) {
      String a = args.pop();
      switch (a) {
        case "--config" -> config = Path.of(value(a, args));
        case "--dry-run" -> dryRun = Path.of(value(a, args));
        case "--processors" -> processors = positive(a, value(a, args));
        case "--check" -> check = true;
        case "--windows-service" -> service = true;
        default -> throw new IllegalArgumentException("unknown argument '" + a + "'; see --help");
      }
    }
    if (config == null) {
      throw new IllegalArgumentException("--config FILE is required; see --help");
    }
    return new RunArgs(config, check, dryRun, processors, service);
  }

  static int runCommand(Deque<String> args, Platforms platforms, PrintStream out, PrintStream err)
      throws IOException {
    AgentMain.useOneLineLogs();
    if (args.contains("--help")) {
      out.println(USAGE);
      return 0;
    }
    RunArgs run = runArgs(args);
    if (run.windowsService() && !HostOs.windows()) {
      err.println("--windows-service: the Service Control Manager is on Windows only");
      return 2;
    }
    ConfigFile.Loaded loaded;
    try {
      loaded = ConfigFile.read(run.config());
    } catch (ValidationException e) {
      return refuse(run, err, AgentMain.lines(run.config(), e));
    } catch (IOException e) {
      return refuse(run, err, List.of(run.config() + ": " + AgentMain.describe(e)));
    }
    if (run.check()) {
      out.println(
          run.config() + ": ok (" + loaded.form().name().toLowerCase(Locale.ROOT) + " form)");
      return 0;
    }
    if (run.dryRun() != null) {
      return dryRun(loaded.config(), run, platforms, out, err);
    }
    if (run.windowsService()) {
      try {
        ServiceLog.redirect(logFile(loaded.config()), 10L << 20, 5);
      } catch (IOException e) {
        err.println(
            "cannot open the service's log "
                + logFile(loaded.config())
                + ": "
                + AgentMain.describe(e));
        return 1;
      }
    }
    loaded.trust().ifPresent(t -> SSLContext.setDefault(t.context()));
    AgentRun agent =
        new AgentRun(
            () -> WindowsNode.agent(loaded.config(), platforms.open(), Agent.Timings.DEFAULT));
    if (!run.windowsService()) {
      return AgentMain.runInConsole(agent, err);
    }
    try {
      return WindowsService.run(SERVICE_NAME, WindowsService.body(agent));
    } catch (IllegalStateException notAService) {
      err.println(notAService.getMessage()); // the console's stderr, not the log
      return 1;
    }
  }

  /** A config that cannot be used: said on stderr, or, for the SCM, in a log and a failed start. */
  private static int refuse(RunArgs run, PrintStream err, List<String> lines) throws IOException {
    lines.forEach(err::println);
    if (!run.windowsService()) {
      return 2;
    }
    Path log = run.config().toAbsolutePath().resolveSibling("agent.log");
    ServiceLog.redirect(log, 10L << 20, 5);
    lines.forEach(System.err::println);
    try {
      WindowsService.run(
          SERVICE_NAME,
          new WindowsService.Body() {
            @Override
            public void start() {
              throw new IllegalArgumentException(
                  "the agent config " + run.config() + " is not valid; see " + log);
            }

            @Override
            public void stop() {}
          });
    } catch (IllegalStateException notAService) {
      err.println(notAService.getMessage());
    }
    return 2;
  }

  static Path logFile(WindowsAgentConfig config) {
    return Path.of(config.agent().workDir()).toAbsolutePath().resolve("logs").resolve("agent.log");
  }

  private static int dryRun(
      WindowsAgentConfig config, RunArgs run, Platforms platforms, PrintStream out, PrintStream err)
      throws IOException {
    TaskInfo task;
    try {
      task = AgentMain.readTask(run.dryRun());
    } catch (ValidationException e) {
      AgentMain.lines(run.dryRun(), e).forEach(err::println);
      return 2;
    } catch (IOException e) {
      err.println(run.dryRun() + ": " + AgentMain.describe(e));
      return 2;
    }
    int processors;
    if (run.processors() != null) {
      processors = run.processors();
    } else if (HostOs.windows()) {
      processors =
          WindowsResources.discover(platforms.open().kernel(), Path.of(".")).logicalProcessors();
    } else {
      err.println("--processors N is needed off Windows (the CPU rate depends on it)");
      return 2;
    }
    DryRun.print(config, task, processors, out);
    return 0;
  }

  private static String value(String flag, Deque<String> args) {
    if (args.isEmpty() || args.peek().startsWith("--")) {
      throw new IllegalArgumentException(flag + " needs a value");
    }
    return args.pop();
  }

  private static int positive(String flag, String text) {
    try {
      int n = Integer.parseInt(text);
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(flag + " must be a positive number (was '" + text + "')");
  }

  // ---- info and plan (no config needed) ------------------------------------------------------

  private static Map<String, String> options(Deque<String> args) {
    Map<String, String> options = new HashMap<>();
    while (!args.isEmpty()) {
      String a = args.pop();
      if (a.startsWith("--")) {
        if (args.isEmpty()) {
          throw new IllegalArgumentException(a + " needs a value");
        }
        options.put(a.substring(2), args.pop());
      } else {
        options.put("", a);
      }
    }
    return options;
  }

  private static int info(Map<String, String> options, PrintStream out) {
    Path workDir = Path.of(options.getOrDefault("work-dir", "."));
    JobKernel32 kernel = JobKernel32.load();
    WindowsResources.Host host = WindowsResources.discover(kernel, workDir);
    long reserved =
        options.containsKey("reserve-memory-mib")
            ? Long.parseLong(options.get("reserve-memory-mib")) << 20
            : WindowsAgentInfo.DEFAULT_RESERVED_MEMORY;
    PortRanges ports = PortRanges.parse(options.getOrDefault("ports", "[31000-32000]"));
    WindowsMachine machine = new WindowsMachine(kernel, System.getenv());
    out.println(
        Codec.JSON.encode(
            WindowsAgentInfo.of(
                machine.hostname(),
                machine.arch(),
                host,
                reserved,
                0,
                ports,
                WindowsContainers.engineAnswers(WindowsContainers.DEFAULT_HOST),
                Map.of(),
                Agent.VERSION)));
    return 0;
  }

  private static int plan(Map<String, String> options, PrintStream out) throws IOException {
    String file = options.get("");
    if (file == null) {
      throw new IllegalArgumentException("give the task as a JSON file");
    }
    TaskInfo task = Codec.JSON.decode(Files.readString(Path.of(file)), TaskInfo.class);
    int processors =
        options.containsKey("processors")
            ? Integer.parseInt(options.get("processors"))
            : WindowsResources.discover(JobKernel32.load(), Path.of(".")).logicalProcessors();
    Path sandbox = Path.of(options.getOrDefault("work-dir", "sandbox"));
    LaunchSpec spec =
        new LaunchSpec(
            JobNames.forContainer(task.taskId().value()),
            1,
            sandbox.toString(),
            sandbox.resolve("stdout").toString(),
            sandbox.resolve("stderr").toString(),
            Map.of(),
            processors);
    out.print(JobPlan.dryRun(JobPlan.launch(task, spec)));
    return 0;
  }
}
