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
