package io.strata.provisioner.command;

import io.strata.provisioner.cloud.CloudProvider;
import io.strata.provisioner.core.ClusterRecord;
import io.strata.provisioner.core.NodeRecord;
import io.strata.provisioner.core.NodeRole;
import io.strata.provisioner.core.NodeStatus;
import io.strata.provisioner.spec.ClusterSpec;

/**
 * After an apply: where the new cluster's allocator answers, handed to the CLI's contexts so that
 * the next {@code strata} command reaches it with no flag or environment variable, and told to the
 * user.
 */
final class Reachability {
  private final ProvisionCommand command;

  Reachability(ProvisionCommand command) {
    this.command = command;
  }

  void tell(ClusterSpec spec, CloudProvider provider) {
    ClusterRecord record = command.store().load(spec.name()).orElse(null);
    // Every live allocator of an HA group, comma-separated: clients try them in turn and follow
    // the standbys to the leader, so the context outlives the leader it was written with.
    java.util.List<NodeRecord> allocators =
        record == null
            ? java.util.List.of()
            : record.nodes().values().stream()
                .filter(n -> n.machine().role() == NodeRole.ALLOCATOR)
                .filter(n -> n.status() == NodeStatus.READY || n.status() == NodeStatus.RUNNING)
                .sorted(java.util.Comparator.comparingInt(n -> n.machine().index()))
                .toList();
    if (allocators.isEmpty()) {
      return;
    }
    String url =
        String.join(
            ",",
            allocators.stream()
                .map(n -> provider.operatorEndpoint(n, spec.allocator().port()))
                .toList());
    if (command.json()) {
      return;
    }
    command.out.println("allocator: " + url);
    String token = provider.operatorToken();
    if (token == null && record.secrets() != null) {
      token = record.secrets().operatorToken();
    }
    String ca =
        url.startsWith("https:") && record.secrets() != null ? record.secrets().caCertPem() : null;
    if (command.contexts == null) {
      command.out.println(
          "  reach it with STRATA_URL="
              + url
              + " and the operator token kept in the state file ("
              + command.store().dir()
              + ")");
      return;
    }
    try {
      command
          .contexts
          .added(new ClusterContexts.NewCluster(spec.name(), spec.cloud(), url, token, ca))
          .forEach(command.out::println);
    } catch (RuntimeException e) {
      command.err.println(
          io.strata.api.client.ErrorLine.of(
              "the cluster is up, but its context could not be saved: " + e.getMessage()));
    }
  }
}
