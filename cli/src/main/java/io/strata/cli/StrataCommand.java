package io.strata.cli;

import io.strata.cli.commands.AgentCommand;
import io.strata.cli.commands.AgentsCommand;
import io.strata.cli.commands.AllocatorCommand;
import io.strata.cli.commands.AppsCommand;
import io.strata.cli.commands.ContextCommand;
import io.strata.cli.commands.DownCommand;
import io.strata.cli.commands.DrainCommand;
import io.strata.cli.commands.EndpointsCommand;
import io.strata.cli.commands.FrameworksCommand;
import io.strata.cli.commands.JobsCommand;
import io.strata.cli.commands.JoinTokenCommand;
import io.strata.cli.commands.KillCommand;
import io.strata.cli.commands.LogsCommand;
import io.strata.cli.commands.NodesCommand;
import io.strata.cli.commands.PsCommand;
import io.strata.cli.commands.RollbackCommand;
import io.strata.cli.commands.RolloutCommand;
import io.strata.cli.commands.RunCommand;
import io.strata.cli.commands.ScaleCommand;
import io.strata.cli.commands.StartCommand;
import io.strata.cli.commands.StopCommand;
import io.strata.cli.commands.UndrainCommand;
import io.strata.cli.commands.UpCommand;
import io.strata.cli.commands.WhyCommand;
import picocli.CommandLine.Command;

@Command(
    name = "strata",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = {
      "Strata: a data-center operating system for hybrid Windows/Linux clusters.",
      "Bring a cluster up on this machine, run services and jobs on it, see why anything waits."
    },
    commandListHeading = "%nCommands:%n",
    subcommands = {
      UpCommand.class,
      DownCommand.class,
      RunCommand.class,
      AppsCommand.class,
      JobsCommand.class,
      PsCommand.class,
      NodesCommand.class,
      EndpointsCommand.class,
      WhyCommand.class,
      LogsCommand.class,
      KillCommand.class,
      ScaleCommand.class,
      RolloutCommand.class,
      RollbackCommand.class,
      StartCommand.class,
      StopCommand.class,
      DrainCommand.class,
      UndrainCommand.class,
      JoinTokenCommand.class,
      AgentsCommand.class,
      ContextCommand.class,
      AllocatorCommand.class,
      AgentCommand.class,
      FrameworksCommand.class
    },
    footer = {
      "%nExamples:",
      "  strata up --example mixed      # 3 agents on this machine, a web service, a batch job, a cron job",
      "  strata ps                      # every task; pending ones say why",
      "  strata why web                 # why an app is not fully running",
      "  strata run -f app.yaml         # create or update an app or a job",
      "  strata down                    # stop everything; nothing is left running",
      "%nThe allocator's URL and token come from --url/--token, STRATA_URL/STRATA_TOKEN, the"
          + " current context (the cluster strata up started last; strata context), or"
          + " ~/.config/strata/config.yaml.",
      "%nExit codes: 0 ok, 1 failed, 2 bad input or usage, 3 not found, 4 cannot reach the"
          + " allocator, 5 not authorized.",
      "Shell completion: source <(strata completion)"
    })
public final class StrataCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
