package io.strata.provisioner.command;

import io.strata.api.json.ValidationException;
import io.strata.provisioner.apply.ApplyResult;
import io.strata.provisioner.apply.EventSink;
import io.strata.provisioner.core.ClusterRecord;
import io.strata.provisioner.core.Plan;
import io.strata.provisioner.core.Planner;
import io.strata.provisioner.spec.ClusterSpec;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code strata provision destroy -f FILE [--auto-approve]}. */
@Command(
    name = "destroy",
    description = {
      "Delete every resource of the cluster. Shows what goes and asks first (only 'yes'"
          + " confirms) unless --auto-approve; refuses (exit 2) when stdin is not a terminal"
          + " and --auto-approve is not given."
    })
final class ProvisionDestroy implements Callable<Integer> {
  @ParentCommand ProvisionCommand parent;

  @Mixin SpecFile specFile;

  @Option(
      names = {"-auto-approve", "--auto-approve"},
      description = "Destroy without asking.")
  boolean autoApprove;

  @Override
  public Integer call() {
    ClusterSpec spec;
    try {
      spec = parent.read(specFile.file);
    } catch (ValidationException e) {
      return parent.invalid(e);
    }
    ClusterRecord recorded =
        parent
            .store()
            .load(spec.name())
            .orElseGet(() -> ClusterRecord.empty(spec.name(), spec.cloud().wire(), null));
    Plan plan = Planner.destroy(recorded);
    if (!parent.json()) {
      parent.print(spec, plan);
    }
    if (!autoApprove) {
      Integer refused = new Confirmation(parent).ask(Confirmation.DESTROY);
      if (refused != null) {
        return refused;
      }
    }
    EventSink sink = parent.sink("destroy " + spec.name());
    try {
      return parent.withProvider(
          spec,
          sink,
          (a, provider) -> {
            ApplyResult r = a.destroy(spec.name());
            ProvisionCommand.close(sink);
            if (!parent.json()) {
              parent.out.println(r.ok() ? "Destroy complete." : "Destroy incomplete:");
              r.failures().forEach(f -> parent.err.println(f.node() + ": " + f.reason()));
            }
            if (r.ok() && parent.contexts != null) {
              parent.contexts.removed(spec.name()).forEach(parent.out::println);
            }
            return r.ok() ? 0 : 1;
          });
    } finally {
      ProvisionCommand.close(sink);
    }
  }
}
