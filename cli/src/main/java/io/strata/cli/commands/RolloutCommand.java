package io.strata.cli.commands;

import io.strata.api.Quantities;
import io.strata.api.json.Codec;
import io.strata.api.json.ValidationException;
import io.strata.cli.output.CliException;
import io.strata.cli.output.ExitCodes;
import io.strata.cli.output.Printer;
import io.strata.cli.output.Table;
import io.strata.workloads.core.Revision;
import io.strata.workloads.services.AppHistoryView;
import io.strata.workloads.services.AppView;
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
    subcommands = {RolloutCommand.History.class, RolloutCommand.Status.class},
    footer = {
      "%nExamples:",
      "  strata rollout status web                # wait until the current version is out",
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

  @Command(
      name = "status",
      description = {
        "Wait until the app's current version is rolled out (as kubectl rollout status): exit 0"
            + " when its deployment SUCCEEDED, 1 when it FAILED or the timeout passed first."
            + " Progress is printed as it changes."
      },
      footer = {
        "%nExamples:",
        "  strata run -f web.yaml && strata rollout status web --timeout 5m",
        "  strata rollout status web --no-wait      # the outcome now; exit 1 unless SUCCEEDED"
      })
  public static final class Status implements Callable<Integer> {
    private static final long POLL_MILLIS = 1000;

    @Mixin ClientOptions options;

    @Parameters(index = "0", paramLabel = "APP", description = "The app id.")
    String id;

    @Option(
        names = "--timeout",
        defaultValue = "10m",
        paramLabel = "DURATION",
        description = "How long to wait (e.g. 90s, 5m; default ${DEFAULT-VALUE}).")
    String timeout;

    @Option(names = "--no-wait", description = "Tell the outcome now; do not wait.")
    boolean noWait;

    @Override
    public Integer call() throws InterruptedException {
      long limit;
      try {
        limit = Quantities.parseMillis(timeout);
      } catch (ValidationException e) {
        throw new CliException(
            ExitCodes.USAGE, "--timeout: '" + timeout + "' is not a duration like 90s or 5m");
      }
      long deadline = System.nanoTime() + limit * 1_000_000;
      PrintWriter out = options.printer().out();
      String last = null;
      while (true) {
        Revision<AppSpec> r = options.client().history(id).revisions().getLast();
        AppView app = options.client().app(id);
        String line = progress(r, app);
        if (!line.equals(last)) {
          out.println(line);
          out.flush();
          last = line;
        }
        switch (r.outcome()) {
          case SUCCEEDED -> {
            return ExitCodes.OK;
          }
          case FAILED -> {
            return ExitCodes.FAILURE;
          }
          default -> {
            if (noWait) {
              return ExitCodes.FAILURE;
            }
          }
        }
        if (System.nanoTime() - deadline >= 0) {
          out.println("timed out after " + timeout + " waiting for version " + r.version());
          out.flush();
          return ExitCodes.FAILURE;
        }
        Thread.sleep(POLL_MILLIS);
      }
    }

    static String progress(Revision<AppSpec> r, AppView app) {
      String v = "app " + app.id() + " version " + r.version() + ": ";
      return switch (r.outcome()) {
        case SUCCEEDED ->
            v + "rolled out (" + app.healthy() + " of " + app.instances() + " healthy)";
        case FAILED ->
            v
                + "FAILED: "
                + r.reason()
                + " (the rollout goes on; strata rollback "
                + app.id()
                + " to undo)";
        default ->
            v
                + r.outcome()
                + ", "
                + app.healthy()
                + " of "
                + app.instances()
                + " healthy ("
                + app.status()
                + ")";
      };
    }
  }
}
