package io.strata.workloads.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.api.TaskId;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class ServicePlannerTest {

  static ServiceInstance running(String id, long version) {
    return new ServiceInstance(TaskId.of(id), version, InstancePhase.RUNNING, true, false);
  }

  static ServiceInstance phase(String id, long version, InstancePhase phase) {
    return new ServiceInstance(TaskId.of(id), version, phase, false, false);
  }

  @Test
  void launchesWhatIsMissing() {
    assertThat(ServicePlanner.plan(1, 3, RollingUpdate.DEFAULT, List.of(running("a", 1))))
        .containsExactly(new ServiceAction.Launch(2));
  }

  @Test
  void scalesDownNeverLaunchedAndUnhealthyFirst() {
    List<ServiceAction> actions =
        ServicePlanner.plan(
            1,
            1,
            RollingUpdate.DEFAULT,
            List.of(
                running("a", 1),
                phase("b", 1, InstancePhase.LAUNCHING),
                phase("c", 1, InstancePhase.PENDING)));
    assertThat(actions)
        .extracting(a -> ((ServiceAction.Kill) a).taskId().value())
        .containsExactly("c", "b");
  }

  @Test
  void rollingUpdateWithSurgeWaitsForHealth() {
    List<ServiceInstance> old = List.of(running("a", 1), running("b", 1), running("c", 1));
    RollingUpdate surgeOne = new RollingUpdate(1, 0);
    assertThat(ServicePlanner.plan(2, 3, surgeOne, old))
        .containsExactly(new ServiceAction.Launch(1));

    List<ServiceInstance> starting = new ArrayList<>(old);
    starting.add(phase("d", 2, InstancePhase.LAUNCHING));
    assertThat(ServicePlanner.plan(2, 3, surgeOne, starting)).isEmpty();

    List<ServiceInstance> healthyNew = new ArrayList<>(old);
    healthyNew.add(running("d", 2));
    // One old instance goes, and the next new one starts in its place: 4 = 3 + maxSurge.
    assertThat(ServicePlanner.plan(2, 3, surgeOne, healthyNew))
        .containsExactly(
            new ServiceAction.Kill(TaskId.of("a"), "replaced by version 2 (rolling update)"),
            new ServiceAction.Launch(1));
  }

  @Test
  void maxUnavailableKillsFirst() {
    List<ServiceInstance> old = List.of(running("a", 1), running("b", 1), running("c", 1));
    List<ServiceAction> actions = ServicePlanner.plan(2, 3, new RollingUpdate(0, 1), old);
    assertThat(actions).hasSize(2);
    assertThat(actions.get(0)).isInstanceOf(ServiceAction.Kill.class);
    assertThat(actions.get(1)).isEqualTo(new ServiceAction.Launch(1));
  }

  @Test
  void instancesOnADrainingAgentAreReplacedLikeOldOnes() {
    List<ServiceInstance> instances =
        List.of(
            running("a", 1),
            new ServiceInstance(TaskId.of("b"), 1, InstancePhase.RUNNING, true, true));
    assertThat(ServicePlanner.plan(1, 2, new RollingUpdate(1, 0), instances))
        .containsExactly(new ServiceAction.Launch(1));
  }

  /**
   * A rolling update simulated with random progress: the planner's own kills never leave fewer than
   * instances − maxUnavailable healthy, the total never exceeds instances + maxSurge, and it ends
   * with every instance on the new version.
   */
  @Property(tries = 300)
  void rollingUpdatesKeepAvailabilityAndConverge(
      @ForAll @IntRange(min = 1, max = 12) int desired,
      @ForAll @IntRange(min = 0, max = 3) int surge,
      @ForAll @IntRange(min = 0, max = 3) int unavailable,
      @ForAll long seed) {
    if (surge == 0 && unavailable == 0) {
      surge = 1;
    }
    RollingUpdate update = new RollingUpdate(surge, unavailable);
    Random random = new Random(seed);
    List<ServiceInstance> instances = new ArrayList<>();
    for (int i = 0; i < desired; i++) {
      instances.add(running("old-" + i, 1));
    }
    int next = 0;
    for (int round = 0; round < 2000; round++) {
      List<ServiceAction> actions = ServicePlanner.plan(2, desired, update, instances);
      for (ServiceAction action : actions) {
        switch (action) {
          case ServiceAction.Kill k -> instances.removeIf(i -> i.taskId().equals(k.taskId()));
          case ServiceAction.Launch l -> {
            for (int n = 0; n < l.count(); n++) {
              instances.add(phase("new-" + next++, 2, InstancePhase.PENDING));
            }
          }
        }
      }
      long healthy = instances.stream().filter(ServiceInstance::healthy).count();
      assertThat(healthy).isGreaterThanOrEqualTo(desired - unavailable);
      assertThat(instances.size()).isLessThanOrEqualTo(desired + surge);
      if (instances.size() == desired
          && instances.stream().allMatch(i -> i.version() == 2 && i.healthy())) {
        return;
      }
      // Some pending or starting instances make progress.
      for (int i = 0; i < instances.size(); i++) {
        ServiceInstance in = instances.get(i);
        if (!in.healthy() && random.nextInt(3) == 0) {
          InstancePhase p =
              in.phase() == InstancePhase.PENDING ? InstancePhase.LAUNCHING : InstancePhase.RUNNING;
          instances.set(
              i,
              new ServiceInstance(in.taskId(), in.version(), p, p == InstancePhase.RUNNING, false));
        }
      }
    }
    throw new AssertionError("did not converge: " + instances);
  }
}
