package io.strata.cli.commands;

import io.strata.cli.output.ExitCodes;
import io.strata.cli.output.Printer;
import io.strata.workloads.core.PendingReason;
import io.strata.workloads.framework.TaskView;
import io.strata.workloads.framework.WhyView;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
    name = "why",
    description = {
      "Explain why an app, a job or a task is not (all) running: what the framework waits for,"
          + " and for each waiting task the reasons, from the offers the framework has seen,"
          + " e.g. \"no agent with os=windows\" or \"insufficient memory on all 3 agents: largest"
          + " free 512 MiB < 1 GiB\".",
      "With -o json the reasons carry stable codes (OS_MISMATCH, CONSTRAINT, INSUFFICIENT_MEMORY,"
          + " NO_CURRENT_OFFER, BACKOFF, ...)."
    },
    footer = {
      "%nExamples:",
      "  strata why web",
      "  strata why web.v2.k3f9q1",
      "  strata why batch -o json"
    })
public final class WhyCommand implements Callable<Integer> {
  @Mixin ClientOptions options;

  @Parameters(paramLabel = "ID", description = "An app, a job or a task id.")
  String id;

  @Override
  public Integer call() {
    Printer p = options.printer();
    WhyView why = options.client().why(id);
    if (p.structured(why)) {
      return ExitCodes.OK;
    }
    PrintWriter out = p.out();
    out.println(why.kind() + " " + why.id() + ": " + why.state());
    why.notes().forEach(n -> out.println("  " + n));
    for (TaskView t : why.tasks()) {
      out.println(
          "  "
              + t.id()
              + " "
              + t.state()
              + (t.hostname() == null ? "" : " on " + t.hostname())
              + (t.message() == null || t.reasons().size() > 0 ? "" : ": " + t.message()));
      for (PendingReason r : t.reasons()) {
        out.println("    - " + r.message() + "  [" + r.code() + "]");
      }
    }
    out.flush();
    return ExitCodes.OK;
  }
}
