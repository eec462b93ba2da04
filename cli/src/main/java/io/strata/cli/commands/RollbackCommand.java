package io.strata.cli.commands;

import io.strata.cli.output.ExitCodes;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "rollback",
    description = {
      "Roll an app back to an earlier version's task: by default the version before the current"
          + " one, or --to-version N (see strata rollout history). It is applied as a new version"
          + " by the usual rolling update (maxSurge, maxUnavailable); the instance count stays."
    },
    footer = {"%nExamples:", "  strata rollback web", "  strata rollback web --to-version 2"})
public final class RollbackCommand implements Callable<Integer> {
  @Mixin ClientOptions options;

  @Parameters(index = "0", paramLabel = "APP", description = "The app id.")
  String id;

  @Option(
      names = "--to-version",
      paramLabel = "N",
      description = "The version whose task to restore (default: the previous one).")
  Long toVersion;

  @Override
  public Integer call() {
    var answer = options.client().rollback(id, toVersion);
    if (!options.printer().structured(answer)) {
      options.printer().out().println("service " + id + ": " + answer.get("change"));
      options.printer().out().flush();
    }
    return ExitCodes.OK;
  }
}
