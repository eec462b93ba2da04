package io.strata.cli.commands;

import io.strata.api.operator.TaskView;
import io.strata.cli.output.ExitCodes;
import io.strata.cli.output.Printer;
import io.strata.cli.output.Table;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "ps",
    description = {
      "List the tasks of the built-in frameworks, pending ones with the first reason they wait"
          + " (strata why TASK shows all).",
      "With --all, every task the allocator knows, of any framework."
    },
    footer = {"%nExamples:", "  strata ps", "  strata ps --all", "  strata ps -o json"})
public final class PsCommand implements Callable<Integer> {
  @Mixin ClientOptions options;

  @Option(
      names = {"-a", "--all"},
      description = "Every framework's tasks, from the allocator.")
  boolean all;

  @Override
  public Integer call() {
    Printer p = options.printer();
    Instant now = Instant.now();
    if (all) {
      List<TaskView> tasks = options.client().operator().tasks();
      if (!p.structured(tasks)) {
        Table t = new Table("TASK", "FRAMEWORK", "ROLE", "STATE", "AGENT", "RESOURCES", "MESSAGE");
        for (TaskView v : tasks) {
          t.row(
              v.task().taskId(),
              v.frameworkId(),
              v.role(),
              v.state(),
              v.agentId(),
              v.task().resources(),
              v.lastStatus() == null ? null : v.lastStatus().message());
        }
        t.print(p.out());
      }
      return ExitCodes.OK;
    }
    List<io.strata.workloads.framework.TaskView> tasks = options.client().tasks();
    if (!p.structured(tasks)) {
      taskTable(tasks, now).print(p.out());
    }
    return ExitCodes.OK;
  }

  static Table taskTable(List<io.strata.workloads.framework.TaskView> tasks, Instant now) {
    Table t = new Table("TASK", "KIND", "OF", "STATE", "HEALTHY", "HOST", "PORTS", "SINCE", "WHY");
    for (io.strata.workloads.framework.TaskView v : tasks) {
      t.row(
          v.id(),
          v.kind(),
          v.owner() + " " + v.detail(),
          v.state(),
          v.healthy() == null ? null : v.healthy() ? "yes" : "no",
          v.hostname(),
          v.ports().isEmpty()
              ? null
              : v.ports().stream().map(String::valueOf).collect(Collectors.joining(",")),
          Printer.age(v.since(), now),
          v.reasons().isEmpty()
              ? null
              : v.reasons().get(0).message()
                  + (v.reasons().size() > 1 ? " (+" + (v.reasons().size() - 1) + ")" : ""));
    }
    return t;
  }
}
