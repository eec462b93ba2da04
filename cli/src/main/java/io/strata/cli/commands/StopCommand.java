package io.strata.cli.commands;

import io.strata.api.client.ApiException;
import io.strata.cli.output.ExitCodes;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
    name = "stop",
    aliases = "rm",
    description =
        "Stop and remove apps or jobs: their tasks are killed, their specs and history forgotten.",
    footer = {"%nExamples:", "  strata stop web", "  strata rm nightly"})
public final class StopCommand implements Callable<Integer> {
  @Mixin ClientOptions options;

  @Parameters(arity = "1..*", paramLabel = "ID", description = "App or job ids.")
  List<String> ids;

  @Override
  public Integer call() {
    for (String id : ids) {
      try {
        options.client().removeApp(id);
        options.printer().out().println("service " + id + ": stopping");
      } catch (ApiException e) {
        if (e.status() != 404) {
          throw e;
        }
        options.client().removeJob(id);
        options.printer().out().println("job " + id + ": removed");
      }
    }
    options.printer().out().flush();
    return ExitCodes.OK;
  }
}
