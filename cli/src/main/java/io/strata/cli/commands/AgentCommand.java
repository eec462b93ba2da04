package io.strata.cli.commands;

import io.strata.agent.linux.LinuxAgentMain;
import io.strata.agent.windows.WindowsAgentMain;
import io.strata.cli.output.ExitCodes;
import io.strata.host.HostOs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

@Command(
    name = "agent",
    description = {
      "Run a Linux agent (cgroups, Docker) until the allocator shuts it down or SIGTERM; tasks keep"
          + " running across an agent restart.",
      "Either give it a config file (--config, see the agent-linux README) or the flags below, from"
          + " which a config is written to WORK_DIR/agent.yaml (mode 0600: it holds the token).",
      "On Windows (or with --windows) it runs the Windows agent: --config FILE, --check, --dry-run"
          + " as above, plus its own --windows-service, info and plan (see the agent-windows"
          + " README)."
    },
    footer = {
      "%nExamples:",
      "  strata agent --config /etc/strata/agent.yaml",
      "  strata agent --config agent.yaml --check",
      "  strata agent --allocator http://10.0.0.2:5050 --join-token-file join.token --work-dir /var/lib/strata/agent",
      "  strata agent --config C:\\strata\\agent.yaml --windows-service   # on Windows"
    })
public final class AgentCommand implements Callable<Integer> {
  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "The agent's config file (YAML or JSON).")
  Path config;

  @Option(names = "--check", description = "With --config: validate it and exit.")
  boolean check;

  @Option(
      names = "--dry-run",
      paramLabel = "TASK.json",
      description = "With --config: print the host operations that would isolate the task.")
  Path dryRun;

  @Option(
      names = "--windows",
      description = "Run the Windows agent's entry point with the remaining arguments.")
  boolean windows;

  @Option(names = "--allocator", paramLabel = "URL", description = "The allocator's URL.")
  String allocator;

  @Option(
      names = "--join-token-file",
      paramLabel = "FILE",
      description = "The cluster's join token.")
  Path joinTokenFile;

  @Option(
      names = "--work-dir",
      paramLabel = "DIR",
      description = "Identity, checkpoints, sandboxes.")
  Path workDir;

  @Option(
      names = "--hostname",
      paramLabel = "NAME",
      description = "The name to register (default: the machine's).")
  String hostname;

  @Option(
      names = "--listen",
      paramLabel = "HOST:PORT",
      description = "The agent's own HTTP endpoint (default 0.0.0.0:5051).")
  String listen;

  @Option(
      names = "--resources",
      paramLabel = "TEXT",
      description = "What to offer instead of what is discovered, e.g. cpus:2;mem:4Gi.")
  String resources;

  @Option(
      names = "--reserved",
      paramLabel = "TEXT",
      description =
          "Kept for the system (default cpus:0;mem:256; 'cpus:0;mem:0' with --resources).")
  String reserved;

  @Option(names = "--ports", paramLabel = "RANGES", description = "Task ports, e.g. [31000-32000].")
  String ports;

  @Option(
      names = "--cgroup-parent",
      paramLabel = "PATH",
      description = "The agent's cgroup under each hierarchy (default strata).")
  String cgroupParent;

  @Option(
      names = "--attribute",
      paramLabel = "KEY=VALUE",
      description = "A placement attribute. Repeatable.")
  Map<String, String> attributes = new LinkedHashMap<>();

  @Option(names = "--docker", paramLabel = "MODE", description = "auto (default), on or off.")
  String docker;

  @Option(
      names = "--default-user",
      paramLabel = "USER",
      description = "Who tasks run as when they name nobody (default nobody).")
  String defaultUser;

  @Option(
      names = "--task-uid-range",
      paramLabel = "FIRST-LAST",
      description =
          "The uids given out, one per framework or app, to tasks of the default user"
              + " (default 10000-19999; off: none). See docs/isolation.md.")
  String taskUidRange;

  @Unmatched List<String> rest = new ArrayList<>();

  @Spec CommandSpec spec;

  /**
   * Runs the platform's agent main with the arguments as given: the options above are declared for
   * {@code --help} and for their types, and the agent's main parses them itself (it also runs
   * alone, as {@code bin/strata agent} and {@code strata up} start it), so the flags are read in
   * one place, the Linux agent's {@code AgentFlags}.
   */
  @Override
  public Integer call() {
    String[] args = forwarded(spec.commandLine().getParseResult()).toArray(String[]::new);
    if (windows || HostOs.windows()) {
      WindowsAgentMain.main(args);
    } else {
      LinuxAgentMain.main(args);
    }
    return ExitCodes.OK; // not reached: each main exits with its own code
  }

  /**
   * The arguments for the agent's main: every option given but {@code --windows}, then the rest.
   */
  static List<String> forwarded(ParseResult parsed) {
    List<String> args = new ArrayList<>();
    for (OptionSpec option : new LinkedHashSet<>(parsed.matchedOptions())) {
      String name = option.longestName();
      if (name.equals("--windows")) {
        continue;
      }
      if (option.arity().max() == 0) {
        args.add(name);
        continue;
      }
      for (String value : option.originalStringValues()) {
        args.add(name);
        args.add(value);
      }
    }
    args.addAll(parsed.unmatched());
    return args;
  }
}
