package io.strata.provisioner.command;

import io.strata.api.json.ValidationException;
import io.strata.provisioner.spec.ClusterSpec;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code strata provision scale POOL COUNT -f FILE [--auto-approve]}. */
@Command(
    name = "scale",
    description = "Set a pool's node count and apply (asks first, as apply does).")
final class ProvisionScale implements Callable<Integer> {
  @ParentCommand ProvisionCommand parent;

  @Mixin SpecFile specFile;

  @Option(
      names = {"-auto-approve", "--auto-approve"},
      description = "Apply without asking.")
  boolean autoApprove;

  @Parameters(index = "0", description = "The pool.")
  String pool;

  @Parameters(index = "1", description = "How many nodes it should have.")
  int count;

  @Override
  public Integer call() {
    try {
      ClusterSpec spec = parent.read(specFile.file).withPoolCount(pool, count);
      int code = parent.apply(spec, autoApprove);
      parent.err.println(
          "note: "
              + specFile.file
              + " still holds the old count of pool "
              + pool
              + "; set it to "
              + count
              + " or the next apply scales back");
      return code;
    } catch (ValidationException e) {
      return parent.invalid(e);
    }
  }
}
