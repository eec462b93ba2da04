package io.strata.provisioner.command;

import io.strata.api.json.ValidationException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code strata provision apply -f FILE [--auto-approve]}. */
@Command(
    name = "apply",
    description = {
      "Create or change the cluster to match the spec. Shows the plan and asks first"
          + " (only 'yes' approves) unless --auto-approve; refuses (exit 2) when stdin is not a"
          + " terminal and --auto-approve is not given."
    })
final class ProvisionApply implements Callable<Integer> {
  @ParentCommand ProvisionCommand parent;

  @Mixin SpecFile specFile;

  @Option(
      names = {"-auto-approve", "--auto-approve"},
      description = "Apply without asking.")
  boolean autoApprove;

  @Override
  public Integer call() {
    try {
      return parent.apply(parent.read(specFile.file), autoApprove);
    } catch (ValidationException e) {
      return parent.invalid(e);
    }
  }
}
