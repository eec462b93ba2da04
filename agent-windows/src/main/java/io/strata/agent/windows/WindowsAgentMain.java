package io.strata.agent.windows;

import io.strata.agent.windows.core.JobNames;
import io.strata.agent.windows.core.JobPlan;
import io.strata.agent.windows.core.LaunchSpec;
import io.strata.agent.windows.jna.JobKernel32;
import io.strata.api.PortRanges;
import io.strata.api.TaskInfo;
import io.strata.api.json.Codec;
import io.strata.api.json.ValidationException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Windows agent's entry point (the {@code strata} CLI wraps it).
 *
 * <pre>
 * WindowsAgentMain info [--work-dir DIR] [--reserve-memory-mib N] [--ports 31000-32000]
 *     what this machine would register: os=windows, capabilities, resources (JSON)
 * WindowsAgentMain plan TASK.json [--processors N] [--work-dir DIR]
 *     the job object operations that would launch TASK, as a dry run (runs on any OS with
 *     --processors)
 * </pre>
 */
public final class WindowsAgentMain {
  private WindowsAgentMain() {}

  public static void main(String[] args) {
    System.exit(run(List.of(args), System.out, System.err));
  }

  static int run(List<String> argv, PrintStream out, PrintStream err) {
    Deque<String> args = new ArrayDeque<>(argv);
    String command = args.isEmpty() ? "help" : args.pop();
    try {
      Map<String, String> options = options(args);
      return switch (command) {
        case "info" -> info(options, out);
        case "plan" -> plan(options, out);
        case "help", "--help", "-h" -> {
          out.println("usage: WindowsAgentMain info|plan [options] (see the agent-windows README)");
          yield 0;
        }
        default -> {
          err.println("unknown command '" + command + "': expected info or plan");
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
    WindowsResources.Host host = WindowsResources.discover(JobKernel32.load(), workDir);
    long reserved =
        options.containsKey("reserve-memory-mib")
            ? Long.parseLong(options.get("reserve-memory-mib")) << 20
            : WindowsAgentInfo.DEFAULT_RESERVED_MEMORY;
    PortRanges ports = PortRanges.parse(options.getOrDefault("ports", "[31000-32000]"));
    String hostname = System.getenv().getOrDefault("COMPUTERNAME", "localhost");
    out.println(
        Codec.JSON.encode(
            WindowsAgentInfo.of(
                hostname,
                System.getProperty("os.arch"),
                host,
                reserved,
                0,
                ports,
                io.strata.agent.windows.container.WindowsContainers.engineAnswers(
                    io.strata.agent.windows.container.WindowsContainers.DEFAULT_HOST),
                Map.of(),
                version())));
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

  static String version() {
    String v = WindowsAgentMain.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
