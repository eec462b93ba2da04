package io.strata.provisioner.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.provisioner.providers.azure.AzureFixture;
import io.strata.provisioner.spec.ClusterSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlannerTest {
  private final ClusterSpec spec = ClusterSpec.parse(AzureFixture.yaml("demo", 2, 1));
  private final List<Machine> machines = Topology.machines(spec);

  private static ClusterRecord converged(List<Machine> machines) {
    ClusterRecord r = ClusterRecord.empty("demo", "azure", null).withNetwork(Map.of("vnet", "v"));
    for (Machine m : machines) {
      r = r.withNode(new NodeRecord(m, NodeStatus.READY, Map.of(), "10.0.0.1", null, null));
    }
    return r;
  }

  @Test
  void anEmptyStateCreatesTheNetworkThenAllocatorsThenAgents() {
    Plan plan = Planner.apply(machines, ClusterRecord.empty("demo", "azure", null));
    assertThat(plan.steps().get(0)).isInstanceOf(Step.CreateNetwork.class);
    assertThat(plan.steps().get(1))
        .isEqualTo(new Step.CreateNode(machines.get(0), false))
        .extracting(s -> ((Step.CreateNode) s).machine().role())
        .isEqualTo(NodeRole.ALLOCATOR);
    assertThat(plan.creates()).isEqualTo(5);
    assertThat(plan.summary()).isEqualTo("Plan: 5 to add, 0 to change, 0 to destroy.");
  }

  @Test
  void aConvergedStatePlansNothing() {
    Plan plan = Planner.apply(machines, converged(machines));
    assertThat(plan.isEmpty()).isTrue();
    assertThat(plan.unchanged()).isEqualTo(4);
  }

  @Test
  void scalingDownDeletesTheHighestIndexesAndAChangedSizeReplaces() {
    ClusterSpec changed =
        ClusterSpec.parse(
            AzureFixture.yaml("demo", 1, 1)
                .replace(
                    "size: Standard_D4s_v5\n    image: \"Micro",
                    "size: Standard_D8s_v5\n    image: \"Micro"));
    Plan plan = Planner.apply(Topology.machines(changed), converged(machines));
    assertThat(plan.steps())
        .containsExactlyInAnyOrder(
            new Step.ReplaceNode(
                converged(machines).nodes().get("demo-win-0"),
                Topology.machines(changed).stream()
                    .filter(m -> m.pool().equals("win"))
                    .findFirst()
                    .orElseThrow()),
            new Step.DeleteNode(converged(machines).nodes().get("demo-linux-1")));
    assertThat(plan.summary())
        .isEqualTo("Plan: 0 to add, 1 to change, 1 to destroy (2 unchanged).");
  }

  @Test
  void interruptedAndFailedCreatesAreRetried() {
    ClusterRecord state = converged(machines);
    NodeRecord linux1 = state.nodes().get("demo-linux-1");
    state = state.withNode(linux1.with(NodeStatus.CREATING, null));
    state = state.withNode(state.nodes().get("demo-win-0").with(NodeStatus.FAILED, "boom"));
    Plan plan = Planner.apply(machines, state);
    assertThat(plan.steps())
        .extracting(Step::describe)
        .containsExactly(
            "+ node (retry) demo-linux-1 (linux, Standard_D4s_v5)",
            "+ node (retry) demo-win-0 (windows, Standard_D4s_v5)");
  }

  @Test
  void destroyDeletesNodesThenTheNetwork() {
    Plan plan = Planner.destroy(converged(machines));
    assertThat(plan.steps()).hasSize(5);
    assertThat(plan.steps().get(4)).isEqualTo(new Step.DeleteNetwork("demo"));
  }

  @Test
  void theNumberOfAllocatorsIsFixedOnceTheClusterExists() {
    List<Machine> three =
        Topology.machines(
            ClusterSpec.parse(
                AzureFixture.yaml("demo", 2, 1)
                    .replace("allocator: {count: 1,", "allocator: {count: 3,")));
    assertThat(Planner.allocatorChange(three, ClusterRecord.empty("demo", "azure", null)))
        .as("a new cluster takes any count")
        .isEmpty();
    assertThat(Planner.allocatorChange(machines, converged(machines))).isEmpty();
    assertThat(Planner.allocatorChange(three, converged(three))).isEmpty();
    assertThat(Planner.allocatorChange(three, converged(machines)))
        .singleElement()
        .asString()
        .startsWith(
            "allocator.count cannot change on an existing cluster (it has 1, the spec asks for 3)");
    assertThat(Planner.allocatorChange(machines, converged(three)))
        .singleElement()
        .asString()
        .contains("it has 3, the spec asks for 1");
  }

  @Test
  void theChangesOfAWalkCutShortLeaveAStateThatPlansOnlyWhatIsLeft() {
    ClusterRecord s = ClusterRecord.empty("demo", "azure", null);
    s = s.after(new StateChange.NetworkCreated(Map.of("vnet", "v")));
    Machine alloc = machines.get(0);
    Machine agent = machines.get(1);
    s = s.after(new StateChange.NodeRecorded(node(alloc, NodeStatus.CREATING)));
    s = s.after(new StateChange.NodeRecorded(node(alloc, NodeStatus.RUNNING)));
    s = s.after(new StateChange.NodeRecorded(node(agent, NodeStatus.CREATING)));
    // The walk stops here (a crash): the network and the allocator are done, the agent is not.
    Plan rest = Planner.apply(machines, s);
    assertThat(rest.steps()).doesNotHaveAnyElementsOfTypes(Step.CreateNetwork.class);
    assertThat(rest.steps()).contains(new Step.CreateNode(agent, true));
    assertThat(rest.steps())
        .noneMatch(st -> st instanceof Step.CreateNode c && c.machine() == alloc);

    s = s.after(new StateChange.NodesReady(List.of(alloc.name())));
    assertThat(s.nodes().get(alloc.name()).status()).isEqualTo(NodeStatus.READY);
    s = s.after(new StateChange.NodeDeleted(agent.name()));
    assertThat(s.nodes()).doesNotContainKey(agent.name());
  }

  private static NodeRecord node(Machine m, NodeStatus status) {
    return new NodeRecord(m, status, Map.of(), "10.0.0.1", null, null);
  }
}
