package io.strata.cli.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.strata.api.json.Codec;
import io.strata.cli.output.ExitCodes;
import io.strata.cli.output.Printer;
import io.strata.cli.output.Table;
import io.strata.workloads.services.AppView;
import io.strata.workloads.services.InstanceEnd;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
    name = "apps",
    description = {
      "List service apps, or show one with its instances and recent ends.",
      "One app with -o yaml or -o json is its spec (kind first) with a status section: edit it and"
          + " apply it again with strata run -f (the status is ignored there)."
    },
    footer = {
      "%nExamples:",
      "  strata apps",
      "  strata apps web",
      "  strata apps web -o yaml > web.yaml   # edit, then: strata run -f web.yaml",
      "  strata apps -o json"
    })
public final class AppsCommand implements Callable<Integer> {
  @Mixin ClientOptions options;

  @Parameters(arity = "0..1", paramLabel = "APP", description = "An app id.")
  String id;

  /**
   * What {@code -o json|yaml} shows for one app or job: its spec as {@code strata run -f} takes it,
   * and beside it {@code status}: everything else the view holds (Kubernetes' shape; {@code run}
   * ignores the status).
   */
  static ObjectNode specWithStatus(Object spec, Object view) {
    ObjectNode shown = Codec.JSON.mapper().valueToTree(spec);
    ObjectNode status = Codec.JSON.mapper().valueToTree(view);
    status.remove("spec");
    shown.set("status", status);
    return shown;
  }

  @Override
  public Integer call() {
    Printer p = options.printer();
    if (id == null) {
      List<AppView> apps = options.client().apps();
      if (!p.structured(apps)) {
        Table t =
            new Table(
                "APP",
                "VERSION",
                "INSTANCES",
                "RUNNING",
                "HEALTHY",
                "PENDING",
                "STATUS",
                "UPDATED");
        Instant now = Instant.now();
        for (AppView a : apps) {
          t.row(
              a.id(),
              "v" + a.version(),
              a.instances(),
              a.running(),
              a.healthy(),
              a.pending(),
              a.status(),
              Printer.age(a.updatedAt(), now) + " ago");
        }
        t.print(p.out());
      }
      return ExitCodes.OK;
    }
    AppView a = options.client().app(id);
    if (p.structured(specWithStatus(a.spec(), a))) {
      return ExitCodes.OK;
    }
    PrintWriter out = p.out();
    out.println("app " + a.id() + "  version " + a.version() + "  " + a.status());
    out.println(
        "  instances "
            + a.instances()
            + ", running "
            + a.running()
            + ", healthy "
            + a.healthy()
            + ", pending "
            + a.pending());
    out.println(
        "  "
            + (a.spec().command() != null
                ? "command: " + a.spec().command()
                : "args: " + a.spec().args()));
    out.println(
        "  resources: "
            + a.spec().template().demand()
            + (a.spec().template().ports() > 0 ? ";ports:" + a.spec().template().ports() : "")
            + "  os: "
            + a.spec().os().wire());
    if (!a.spec().constraints().isEmpty()) {
      out.println("  constraints: " + a.spec().constraints());
    }
    out.println();
    PsCommand.taskTable(a.tasks(), Instant.now()).print(out);
    if (!a.recentTerminations().isEmpty()) {
      out.println();
      out.println("recently ended:");
      Table t = new Table("TASK", "STATE", "REASON", "EXIT", "WHEN", "MESSAGE");
      Instant now = Instant.now();
      for (InstanceEnd e : a.recentTerminations()) {
        t.row(
            e.taskId(),
            e.state(),
            e.reason(),
            e.exitCode(),
            Printer.age(e.at(), now) + " ago",
            e.message());
      }
      t.print(out);
    }
    out.flush();
    return ExitCodes.OK;
  }
}
