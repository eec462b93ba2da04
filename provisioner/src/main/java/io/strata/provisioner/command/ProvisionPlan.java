package io.strata.provisioner.command;

import io.strata.api.json.ValidationException;
import io.strata.provisioner.apply.ApplyEvent;
import io.strata.provisioner.apply.JsonEventSink;
import io.strata.provisioner.core.Plan;
import io.strata.provisioner.core.PlanResources;
import io.strata.provisioner.core.Step;
import io.strata.provisioner.spec.ClusterSpec;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code strata provision plan -f FILE [-detailed-exitcode]}: changes nothing, asks no cloud. */
@Command(
    name = "plan",
    description = {
      "Show what apply would create, change and delete: every resource, not only the nodes.",
      "Exit code: 0 (also with changes pending) or 2 on a bad spec; with -detailed-exitcode,"
          + " as Terraform: 0 no changes, 1 error, 2 changes present."
    })
final class ProvisionPlan implements Callable<Integer> {
  @ParentCommand ProvisionCommand parent;

  @Mixin SpecFile specFile;

  @Option(
      names = {"-detailed-exitcode", "--detailed-exitcode"},
      description = "Exit 0 with no changes, 1 on error, 2 when there are changes (for scripts).")
  boolean detailedExitCode;

  @Override
  public Integer call() {
    ClusterSpec spec;
    try {
      spec = parent.read(specFile.file);
    } catch (ValidationException e) {
      parent.invalid(e);
      return detailedExitCode ? 1 : 2;
    }
    Plan plan = parent.plan(spec);
    if (parent.json()) {
      JsonEventSink sink = new JsonEventSink(parent.out, Clock.systemUTC());
      for (Step s : plan.steps()) {
        String resources = String.join("; ", PlanResources.of(spec, s));
        sink.emit(
            new ApplyEvent(
                ApplyEvent.PLANNED,
                null,
                null,
                null,
                s.describe() + (resources.isEmpty() ? "" : ": " + resources)));
      }
      sink.emit(new ApplyEvent(ApplyEvent.SUMMARY, null, null, null, plan.summary()));
    } else {
      parent.print(spec, plan);
    }
    return detailedExitCode && !plan.isEmpty() ? 2 : 0;
  }
}
