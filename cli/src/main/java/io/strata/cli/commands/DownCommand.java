package io.strata.cli.commands;

import io.strata.cli.client.Contexts;
import io.strata.cli.client.Target;
import io.strata.cli.output.ExitCodes;
import io.strata.cli.output.Format;
import io.strata.cli.output.Printer;
import io.strata.provisioner.providers.local.LocalCluster;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "down",
    description = {
      "Stop the cluster strata up started: agents, allocator, every task they ran, and their"
          + " cgroups. Nothing is left running. Logs and the allocator's data stay in the data dir"
          + " (a later strata up resumes the apps and jobs from it)."
    },
    footer = {"%nExamples:", "  strata down", "  strata down --data-dir /tmp/strata-test"})
public final class DownCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description =
          "The cluster's data dir (env STRATA_DATA_DIR; default: the current context's, else"
              + " ~/.strata).")
  Path dataDir;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "table",
      description = "Output format: table, json or yaml (default: ${DEFAULT-VALUE}).")
  Format format;

  @Option(
      names = "--grace",
      paramLabel = "SECONDS",
      defaultValue = "10",
      description = "Time for each process to stop before it is killed (default ${DEFAULT-VALUE}).")
  int graceSeconds;

  /** {@code STRATA_DATA_DIR}, else the data dir of the current context, else {@code ~/.strata}. */
  static Path defaultDataDir(Map<String, String> env) {
    if (env.get("STRATA_DATA_DIR") == null) {
      Optional<Contexts.Context> current = Contexts.load(env).currentContext();
      if (current.isPresent() && current.get().dataDir() != null) {
        return Path.of(current.get().dataDir());
      }
    }
    return Target.dataDir(env);
  }

  @Override
  public Integer call() {
    Path dir = dataDir != null ? dataDir : defaultDataDir(Environment.get());
    LocalCluster.DownReport report =
        LocalCluster.down(dir, Duration.ofSeconds(graceSeconds), new LinuxAgentCleanup());
    PrintWriter out = spec.commandLine().getOut();
    Map<String, Object> shown = new LinkedHashMap<>();
    shown.put("dataDir", dir.toAbsolutePath().normalize().toString());
    shown.put("processesStopped", report.processesStopped());
    shown.put("leftoversKilled", report.leftoversKilled());
    shown.put("cgroupsLeft", report.cgroupsLeft().stream().map(Path::toString).toList());
    if (!new Printer(format, out).structured(shown)) {
      out.println(
          "Strata is down: "
              + report.processesStopped()
              + " process(es) stopped, "
              + report.leftoversKilled()
              + " leftover task process(es) killed, cgroups removed");
      out.flush();
    }
    if (!report.cgroupsLeft().isEmpty()) {
      spec.commandLine()
          .getErr()
          .println(
              io.strata.api.client.ErrorLine.of(
                  "could not remove cgroups " + report.cgroupsLeft()));
      return ExitCodes.FAILURE;
    }
    return ExitCodes.OK;
  }
}
