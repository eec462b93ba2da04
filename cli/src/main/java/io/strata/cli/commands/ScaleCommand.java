package io.strata.cli.commands;

import io.strata.cli.output.ExitCodes;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
    name = "scale",
    description = "Set how many instances an app runs (no new version: nothing restarts).",
    footer = {
      "%nExamples:",
      "  strata scale web 5",
      "  strata scale web 0    # stop all instances, keep the app"
    })
public final class ScaleCommand implements Callable<Integer> {
  @Mixin ClientOptions options;

  @Parameters(index = "0", paramLabel = "APP", description = "The app id.")
  String id;

  @Parameters(index = "1", paramLabel = "INSTANCES", description = "How many instances.")
  int instances;

  @Override
  public Integer call() {
    var answer = options.client().scale(id, instances);
    if (!options.printer().structured(answer)) {
      options.printer().out().println("service " + id + ": " + answer.get("change"));
      options.printer().out().flush();
    }
    return ExitCodes.OK;
  }
}
