package io.strata.provisioner.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Diffs the machines a spec wants against the recorded state. Pure: the same inputs give the same
 * plan, so re-applying an unchanged spec to a converged state plans nothing.
 */
public final class Planner {
  private Planner() {}

  public static Plan apply(List<Machine> desired, ClusterRecord state) {
    List<Step> steps = new ArrayList<>();
    if (!state.hasNetwork()) {
      steps.add(new Step.CreateNetwork(state.cluster()));
    }
    Map<String, Machine> wanted = new HashMap<>();
    desired.forEach(m -> wanted.put(m.name(), m));
    int unchanged = 0;
    List<Machine> ordered = new ArrayList<>(desired);
    // Allocators first: agents are configured with their address.
    ordered.sort(Comparator.comparing((Machine m) -> m.role() != NodeRole.ALLOCATOR));
    for (Machine m : ordered) {
      NodeRecord recorded = state.nodes().get(m.name());
      if (recorded == null) {
        steps.add(new Step.CreateNode(m, false));
      } else if (recorded.status() == NodeStatus.FAILED
          || recorded.status() == NodeStatus.CREATING
          || recorded.status() == NodeStatus.DELETING) {
        // An interrupted or failed create is finished by creating again: creates are idempotent.
        steps.add(
            recorded.machine().sameShape(m)
                ? new Step.CreateNode(m, true)
                : new Step.ReplaceNode(recorded, m));
      } else if (!recorded.machine().sameShape(m)) {
        steps.add(new Step.ReplaceNode(recorded, m));
      } else {
        unchanged++;
      }
    }
    state.nodes().values().stream()
        .filter(n -> !wanted.containsKey(n.name()))
        .sorted(Comparator.comparing(NodeRecord::name).reversed())
        .forEach(n -> steps.add(new Step.DeleteNode(n)));
    return new Plan(steps, unchanged);
  }

  /**
   * Why the desired allocators cannot replace the recorded ones, or an empty list. The number of
   * allocators is fixed when a cluster is made: one allocator keeps its state in its own journal
   * and an HA group in the ZooKeeper ensemble of exactly its machines, so going from 1 to 3 would
   * leave the state behind, and 3 to 5 (or back) would need every server of the ensemble
   * reconfigured.
   */
  public static List<String> allocatorChange(List<Machine> desired, ClusterRecord state) {
    long wanted = desired.stream().filter(m -> m.role() == NodeRole.ALLOCATOR).count();
    long recorded =
        state.nodes().values().stream()
            .filter(n -> n.machine().role() == NodeRole.ALLOCATOR)
            .filter(n -> n.status() != NodeStatus.FAILED)
            .count();
    if (recorded == 0 || recorded == wanted) {
      return List.of();
    }
    return List.of(
        "allocator.count cannot change on an existing cluster (it has "
            + recorded
            + ", the spec asks for "
            + wanted
            + "): the allocators' state stays in the journal or ZooKeeper ensemble it was made"
            + " with; create a new cluster, or set allocator.count back to "
            + recorded);
  }

  /** Everything recorded goes: nodes, then the network. */
  public static Plan destroy(ClusterRecord state) {
    List<Step> steps = new ArrayList<>();
    state.nodes().values().stream()
        .sorted(Comparator.comparing(NodeRecord::name).reversed())
        .forEach(n -> steps.add(new Step.DeleteNode(n)));
    if (state.hasNetwork()) {
      steps.add(new Step.DeleteNetwork(state.cluster()));
    }
    return new Plan(steps, 0);
  }
}
