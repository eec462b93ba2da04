package io.strata.cli.commands;

import io.strata.api.operator.ServiceEndpoints;
import io.strata.api.operator.ServiceEndpoints.Instance;
import io.strata.cli.output.ExitCodes;
import io.strata.cli.output.Printer;
import io.strata.cli.output.Table;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
    name = "endpoints",
    description = {
      "Where an app's (or job's) instances answer: host:port per instance, as the cluster's DNS"
          + " zone serves them (GET /v1/endpoints).",
      "DNS answers with the RUNNING instances that are healthy (or have no health check);"
          + " the others are listed with IN DNS = no."
    },
    footer = {
      "%nExamples:",
      "  strata endpoints web           # web.services.strata. and _web._tcp.services.strata.",
      "  strata endpoints               # every app, job and framework task",
      "  strata endpoints web -o json"
    })
public final class EndpointsCommand implements Callable<Integer> {
  @Mixin ClientOptions options;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "APP",
      description = "an app, a job, or framework/task; default: all")
  String name;

  @Override
  public Integer call() {
    Printer p = options.printer();
    List<ServiceEndpoints> groups = options.client().operator().endpoints(name);
    if (p.structured(groups)) {
      return ExitCodes.OK;
    }
    Table t =
        new Table("NAME", "KIND", "TASK", "ENDPOINT", "HOST", "PORTS", "STATE", "HEALTH", "IN DNS");
    for (ServiceEndpoints g : groups) {
      for (Instance i : g.instances()) {
        String where = i.address() != null ? i.address() : i.host();
        if (where != null && where.contains(":")) {
          where = "[" + where + "]"; // IPv6
        }
        t.row(
            g.name(),
            g.kind(),
            i.taskId(),
            i.ports().isEmpty() ? where : where + ":" + i.ports().get(0),
            i.host(),
            i.ports().isEmpty()
                ? null
                : i.ports().stream().map(String::valueOf).collect(Collectors.joining(",")),
            i.state(),
            i.healthy() == null ? null : i.healthy() ? "healthy" : "unhealthy",
            i.serving() ? "yes" : "no");
      }
    }
    t.print(p.out());
    if (groups.isEmpty()) {
      p.out()
          .println(
              name == null
                  ? "no active instances"
                  : "no active instances of " + name + " (an app, a job, or framework/task)");
    }
    for (ServiceEndpoints g : groups) {
      if (g.dnsName() != null) {
        p.out().println("DNS " + g.name() + ": " + g.dnsName() + " (A), " + g.srvName() + " (SRV)");
      }
    }
    return ExitCodes.OK;
  }
}
