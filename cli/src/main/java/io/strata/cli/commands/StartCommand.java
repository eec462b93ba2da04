package io.strata.cli.commands;

import io.strata.cli.output.ExitCodes;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
    name = "start",
    description = "Start a run of a job now, whatever its schedule says.",
    footer = {"%nExamples:", "  strata start nightly"})
public final class StartCommand implements Callable<Integer> {
  @Mixin ClientOptions options;

  @Parameters(paramLabel = "JOB", description = "The job id.")
  String id;

  @Override
  public Integer call() {
    var answer = options.client().startJob(id);
    options.printer().out().println("job " + id + ": run " + answer.get("runId") + " started");
    options.printer().out().flush();
    return ExitCodes.OK;
  }
}
