package io.strata.cli.commands;

import io.strata.cli.output.ExitCodes;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
    name = "kill",
    description = {
      "Kill tasks. A service instance is replaced (no restart backoff counted); a job task counts"
          + " as failed and is retried within the job's retries.",
      "To stop an app or a job altogether, use strata stop."
    },
    footer = {"%nExamples:", "  strata kill web.v1.k3f9q1", "  strata kill batch.r1.3 batch.r1.4"})
public final class KillCommand implements Callable<Integer> {
  @Mixin ClientOptions options;

  @Parameters(arity = "1..*", paramLabel = "TASK", description = "Task ids (see strata ps).")
  List<String> tasks;

  @Override
  public Integer call() {
    for (String t : tasks) {
      options.client().kill(t);
      options.printer().out().println(t + ": killing");
    }
    options.printer().out().flush();
    return ExitCodes.OK;
  }
}
