package io.strata.cli.commands;

import io.strata.api.json.Codec;
import io.strata.cli.CliException;
import io.strata.cli.ClientOptions;
import io.strata.cli.ExitCodes;
import io.strata.cli.output.Printer;
import io.strata.cli.output.Table;
import io.strata.workloads.core.Revision;
import io.strata.workloads.services.AppHistoryView;
import io.strata.workloads.spec.AppSpec;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "rollout",
    description = {
      "An app's rollouts: the versions kept (its revisionHistoryLimit, default 10) and how each"
          + " deployment went. Roll back with strata rollback."
    },
    subcommands = {RolloutCommand.History.class},
    footer = {
      "%nExamples:",
      "  strata rollout history web",
      "  strata rollout history web --version 2   # that version's spec (apply it with run -f)"
    })
public final class RolloutCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "history",
      description = {
        "List an app's kept versions, oldest first: when each was applied, by whom, why (the"
            + " fields that changed, or a rollback) and its deployment's outcome: DEPLOYING,"
            + " SUCCEEDED (every instance ran healthy), FAILED (instances failed 3 times first),"
            + " SUPERSEDED (replaced while deploying) or ROLLED_BACK.",
        "A scale changes no version. With --version N: that version's spec."
      },
      footer = {
        "%nExamples:",
        "  strata rollout history web",
        "  strata rollout history web -o json",
        "  strata rollout history web --version 2 > web-v2.yaml"
      })
  public static final class History implements Callable<Integer> {
    @Mixin ClientOptions options;

    @Parameters(index = "0", paramLabel = "APP", description = "The app id.")
    String id;

    @Option(
        names = "--version",
        paramLabel = "N",
        description = "Show version N's spec (YAML unless -o json) instead of the list.")
    Long version;

    @Override
    public Integer call() {
      AppHistoryView h = options.client().history(id);
      Printer p = options.printer();
      if (version != null) {
        Revision<AppSpec> r =
            h.revisions().stream()
                .filter(x -> x.version() == version)
                .findFirst()
                .orElseThrow(
                    () ->
                        new CliException(
                            ExitCodes.NOT_FOUND,
                            "app "
                                + id
                                + " has no v"
                                + version
                                + " in its history (kept: "
                                + h.revisions().stream().map(x -> "v" + x.version()).toList()
                                + ")"));
        if (!p.structured(r)) {
          p.out().print(Codec.YAML.encode(r.spec()));
          p.out().flush();
        }
        return ExitCodes.OK;
      }
      if (p.structured(h)) {
        return ExitCodes.OK;
      }
      Instant now = Instant.now();
      Table t = new Table("VERSION", "APPLIED", "BY", "CAUSE", "OUTCOME", "REASON");
      for (Revision<AppSpec> r : h.revisions()) {
        t.row(
            (r.version() == h.version() ? "*" : "") + r.version(),
            Printer.age(r.at(), now) + " ago",
            r.by() == null ? "-" : r.by(),
            r.cause(),
            r.outcome(),
            r.reason() == null ? "" : r.reason());
      }
      PrintWriter out = p.out();
      t.print(out);
      out.println("(* the current version; roll back with: strata rollback " + id + ")");
      out.flush();
      return ExitCodes.OK;
    }
  }
}
