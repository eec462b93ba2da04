package io.strata.provisioner.command;

import io.strata.api.client.ErrorLine;
import io.strata.api.json.Codec;
import io.strata.api.json.ValidationException;
import io.strata.provisioner.core.ClusterRecord;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code strata provision status NAME} or {@code status -f FILE}: the recorded state. */
@Command(
    name = "status",
    description = "Show the recorded state of a cluster, named or given by its spec (-f).")
final class ProvisionStatus implements Callable<Integer> {
  @ParentCommand ProvisionCommand parent;

  @Parameters(index = "0", arity = "0..1", description = "The cluster's name.")
  String cluster;

  @Option(
      names = {"-f", "--file"},
      description = "The cluster spec (YAML): its name is the cluster's.")
  Path file;

  @Override
  public Integer call() {
    if ((cluster == null) == (file == null)) {
      parent.err.println(ErrorLine.of("give the cluster's name or its spec with -f, not both"));
      parent.err.println(
          "  e.g. strata provision status demo, strata provision status -f demo.yaml");
      return 2;
    }
    String name;
    try {
      name = cluster != null ? cluster : parent.read(file).name();
    } catch (ValidationException e) {
      return parent.invalid(e);
    }
    var record = parent.store().load(name);
    if (record.isEmpty()) {
      parent.err.println(
          ErrorLine.of("no state for cluster " + name + " in " + parent.store().dir()));
      return 2;
    }
    ClusterRecord r = record.get();
    if (parent.json()) {
      // The secrets stay in the state file.
      ClusterRecord shown =
          new ClusterRecord(
              r.cluster(), r.cloud(), r.network(), r.nodes(), null, r.allocatorEndpoint());
      parent.out.println(Codec.JSON.encode(shown));
      return 0;
    }
    parent.out.printf(
        "cluster %s on %s, allocator %s%n", r.cluster(), r.cloud(), r.allocatorEndpoint());
    r.nodes()
        .values()
        .forEach(
            n ->
                parent.out.printf(
                    "%-28s %-8s %-9s %-15s %-15s %s%n",
                    n.name(),
                    n.machine().pool(),
                    n.status(),
                    n.privateIp() == null ? "-" : n.privateIp(),
                    n.publicIp() == null ? "-" : n.publicIp(),
                    n.error() == null ? "" : n.error()));
    return 0;
  }
}
