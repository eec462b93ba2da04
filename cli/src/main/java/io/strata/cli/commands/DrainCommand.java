package io.strata.cli.commands;

import io.strata.api.operator.AgentView;
import io.strata.api.operator.DrainRequest;
import io.strata.cli.output.CliException;
import io.strata.cli.output.ExitCodes;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "drain",
    description = {
      "Drain a node for maintenance: it gets no new tasks, service instances move off it (new ones"
          + " start elsewhere first, as in a rolling update), and what still runs after the grace"
          + " period is killed."
    },
    footer = {
      "%nExamples:",
      "  strata drain vm-a2",
      "  strata drain vm-a2 --grace 10m --decommission"
    })
public final class DrainCommand implements Callable<Integer> {
  @Mixin ClientOptions options;

  @Parameters(
      paramLabel = "NODE",
      description = "The node's hostname or agent id (see strata nodes).")
  String node;

  @Option(
      names = "--grace",
      paramLabel = "DURATION",
      description = "Kill what still runs after this (e.g. 30s, 10m); default: never.")
  String grace;

  @Option(names = "--decommission", description = "Remove the node once it is drained.")
  boolean decommission;

  @Override
  public Integer call() {
    AgentView agent = find(options, node);
    Long graceMillis = grace == null ? null : parse(grace).toMillis();
    AgentView after =
        options.client().operator().drain(agent.id(), new DrainRequest(graceMillis, decommission));
    if (!options.printer().structured(after)) {
      options
          .printer()
          .out()
          .println(agent.info().hostname() + " (" + agent.id() + "): " + after.state());
    }
    options.printer().out().flush();
    return ExitCodes.OK;
  }

  /** The agent whose id or hostname is {@code node}. */
  static AgentView find(ClientOptions options, String node) {
    for (AgentView a : options.client().operator().agents()) {
      if (a.id().value().equals(node) || a.info().hostname().equals(node)) {
        return a;
      }
    }
    throw new CliException(ExitCodes.NOT_FOUND, "no node '" + node + "' (see strata nodes)");
  }

  static Duration parse(String text) {
    try {
      String t = text.trim().toLowerCase(java.util.Locale.ROOT);
      long n = Long.parseLong(t.substring(0, t.length() - 1));
      return switch (t.charAt(t.length() - 1)) {
        case 's' -> Duration.ofSeconds(n);
        case 'm' -> Duration.ofMinutes(n);
        case 'h' -> Duration.ofHours(n);
        case 'd' -> Duration.ofDays(n);
        default -> throw new NumberFormatException();
      };
    } catch (RuntimeException e) {
      throw new CliException(
          ExitCodes.USAGE, "--grace: '" + text + "' is not a duration like 30s, 10m, 2h or 1d");
    }
  }
}
