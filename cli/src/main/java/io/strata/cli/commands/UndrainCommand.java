package io.strata.cli.commands;

import io.strata.api.operator.AgentView;
import io.strata.cli.output.ExitCodes;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
    name = "undrain",
    description = {
      "End a node's maintenance: a draining or drained node is offered to the frameworks again"
          + " and its agent stops treating itself as draining."
    },
    footer = {"%nExamples:", "  strata undrain vm-a2"})
public final class UndrainCommand implements Callable<Integer> {
  @Mixin ClientOptions options;

  @Parameters(
      paramLabel = "NODE",
      description = "The node's hostname or agent id (see strata nodes).")
  String node;

  @Override
  public Integer call() {
    AgentView agent = DrainCommand.find(options, node);
    AgentView after = options.client().operator().reactivate(agent.id());
    if (!options.printer().structured(after)) {
      options
          .printer()
          .out()
          .println(agent.info().hostname() + " (" + agent.id() + "): " + after.state());
    }
    options.printer().out().flush();
    return ExitCodes.OK;
  }
}
