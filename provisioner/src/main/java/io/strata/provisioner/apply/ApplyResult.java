package io.strata.provisioner.apply;

import io.strata.provisioner.core.Plan;
import java.util.List;

/**
 * The outcome of an apply or destroy, node by node (like jclouds' RunNodesException, a partial
 * failure names each failed node and why, and leaves the others in place and usable).
 */
public record ApplyResult(Plan plan, List<NodeResult> nodes, String allocatorEndpoint) {
  public ApplyResult {
    nodes = List.copyOf(nodes);
  }

  public List<NodeResult> failures() {
    return nodes.stream().filter(NodeResult::failed).toList();
  }

  public boolean ok() {
    return failures().isEmpty();
  }
}
