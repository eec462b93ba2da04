package io.strata.cli.commands;

import io.strata.api.Quantities;
import io.strata.api.Resources;
import io.strata.api.operator.AgentView;
import io.strata.cli.output.ExitCodes;
import io.strata.cli.output.Printer;
import io.strata.cli.output.Table;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
    name = "nodes",
    description = "List the agents: OS, state, resources used and total, tasks.",
    footer = {"%nExamples:", "  strata nodes", "  strata nodes -o yaml"})
public final class NodesCommand implements Callable<Integer> {
  @Mixin ClientOptions options;

  @Override
  public Integer call() {
    Printer p = options.printer();
    List<AgentView> agents = options.client().operator().agents();
    if (p.structured(agents)) {
      return ExitCodes.OK;
    }
    Table t = new Table("NODE", "ID", "OS", "STATE", "CPUS", "MEM", "TASKS", "ATTRIBUTES", "SEEN");
    Instant now = Instant.now();
    for (AgentView a : agents) {
      Resources total = a.total() == null ? a.info().resources().total() : a.total().total();
      Resources used = a.allocated() == null ? Resources.EMPTY : a.allocated().total();
      t.row(
          a.info().hostname(),
          a.id(),
          a.info().os().wire(),
          a.state(),
          Quantities.formatCpus(used.millicpus()) + "/" + Quantities.formatCpus(total.millicpus()),
          Quantities.formatBytes(used.memoryBytes())
              + "/"
              + Quantities.formatBytes(total.memoryBytes()),
          a.activeTasks(),
          a.info().attributes().isEmpty() ? null : a.info().attributes(),
          Printer.age(a.lastSeenAt(), now) + " ago");
    }
    t.print(p.out());
    return ExitCodes.OK;
  }
}
