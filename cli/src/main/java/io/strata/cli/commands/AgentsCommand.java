package io.strata.cli.commands;

import io.strata.api.AgentId;
import io.strata.api.json.ValidationException;
import io.strata.cli.output.CliException;
import io.strata.cli.output.ExitCodes;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code strata agents revoke ID}: what operators do to one agent's identity. */
@Command(
    name = "agents",
    description = {
      "Manage the agents' own credentials (list the agents with: strata nodes). Each agent joined"
          + " with a join token and got a credential bound to its id, the only one that acts for"
          + " it; revoke one and the agent is removed."
    },
    subcommands = {AgentsCommand.Revoke.class},
    footer = {"%nExamples:", "  strata agents revoke A-5f0c2a8e-7d1b-4a57-9a43-0f8c1e2d3b4a"})
public final class AgentsCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "revoke",
      description = {
        "Revoke an agent's credential: it can no longer act under its id, and it is removed at once"
            + " (its tasks become GONE, frameworks reschedule them). The node may join anew with a"
            + " join token, as a new agent; revoke the join tokens too (strata join-token revoke)"
            + " if the node itself is not to be trusted."
      })
  public static final class Revoke implements Callable<Integer> {
    @Mixin ClientOptions options;

    @Parameters(paramLabel = "ID", description = "The agent's id (see strata nodes).")
    String id;

    @Override
    public Integer call() {
      AgentId agent;
      try {
        agent = AgentId.of(id);
      } catch (ValidationException e) {
        throw new CliException(ExitCodes.USAGE, "ID: '" + id + "' is not an agent id");
      }
      options.client().operator().revokeAgent(agent);
      java.io.PrintWriter out = options.printer().out();
      out.println(agent + ": credential revoked, agent removed");
      out.flush();
      return ExitCodes.OK;
    }
  }
}
