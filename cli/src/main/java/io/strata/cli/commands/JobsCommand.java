package io.strata.cli.commands;

import io.strata.cli.output.ExitCodes;
import io.strata.cli.output.Printer;
import io.strata.cli.output.Table;
import io.strata.workloads.core.JobRun;
import io.strata.workloads.jobs.JobView;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
    name = "jobs",
    description = {
      "List batch and cron jobs, or show one with its run history.",
      "One job with -o yaml or -o json is its spec with a status section, which strata run -f"
          + " takes again."
    },
    footer = {
      "%nExamples:",
      "  strata jobs",
      "  strata jobs nightly",
      "  strata jobs nightly -o yaml"
    })
public final class JobsCommand implements Callable<Integer> {
  @Mixin ClientOptions options;

  @Parameters(arity = "0..1", paramLabel = "JOB", description = "A job id.")
  String id;

  @Override
  public Integer call() {
    Printer p = options.printer();
    Instant now = Instant.now();
    if (id == null) {
      List<JobView> jobs = options.client().jobs();
      if (!p.structured(jobs)) {
        Table t =
            new Table(
                "JOB",
                "SCHEDULE",
                "NEXT",
                "ACTIVE",
                "LAST RUN",
                "STATUS",
                "SUCCEEDED",
                "FAILED",
                "LAST FAILURE");
        for (JobView j : jobs) {
          JobRun last = j.runs().isEmpty() ? null : j.runs().get(0);
          t.row(
              j.id(),
              j.schedule(),
              j.nextRunAt() == null ? null : "in " + Printer.age(now, j.nextRunAt()),
              j.activeRuns(),
              last == null ? null : last.runId(),
              last == null ? null : last.status(),
              last == null ? null : last.succeeded() + "/" + j.spec().completions(),
              last == null ? null : last.failed(),
              last == null ? null : last.lastFailure());
        }
        t.print(p.out());
      }
      return ExitCodes.OK;
    }
    JobView j = options.client().job(id);
    if (p.structured(AppsCommand.specWithStatus(j.spec(), j))) {
      return ExitCodes.OK;
    }
    PrintWriter out = p.out();
    out.println(
        "job "
            + j.id()
            + (j.schedule() == null
                ? ""
                : "  schedule '"
                    + j.schedule()
                    + "' ("
                    + j.spec().schedule().concurrencyPolicy()
                    + ")"));
    out.println(
        "  completions "
            + j.spec().completions()
            + ", parallelism "
            + j.spec().parallelism()
            + ", retries "
            + j.spec().retries()
            + (j.spec().activeDeadlineMillis() == null
                ? ""
                : ", deadline " + j.spec().activeDeadlineMillis() / 1000 + "s"));
    if (j.nextRunAt() != null) {
      out.println("  next run " + j.nextRunAt());
    }
    if (j.lastSkip() != null) {
      out.println("  last skipped " + j.lastSkip());
    }
    out.println();
    Table runs =
        new Table(
            "RUN",
            "TRIGGER",
            "STATUS",
            "SUCCEEDED",
            "FAILED",
            "ACTIVE",
            "STARTED",
            "FINISHED",
            "MESSAGE",
            "LAST FAILURE");
    for (JobRun r : j.runs()) {
      runs.row(
          r.runId(),
          r.trigger(),
          r.status(),
          r.succeeded() + "/" + j.spec().completions(),
          r.failed(),
          r.active().size(),
          Printer.age(r.createdAt(), now) + " ago",
          r.finishedAt() == null ? null : Printer.age(r.finishedAt(), now) + " ago",
          r.message(),
          r.lastFailure());
    }
    runs.print(out);
    if (!j.tasks().isEmpty()) {
      out.println();
      PsCommand.taskTable(j.tasks(), now).print(out);
    }
    out.flush();
    return ExitCodes.OK;
  }
}
