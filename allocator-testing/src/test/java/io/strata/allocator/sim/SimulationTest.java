package io.strata.allocator.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.allocator.core.AllocationSettings;
import io.strata.api.AgentId;
import io.strata.api.Offer;
import io.strata.api.ResourcePool;
import io.strata.api.Resources;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The harness itself: deterministic, faithful about what tasks take and give back. */
class SimulationTest {

  private static List<String> history(long seed) {
    Simulation sim = new Simulation(AllocationSettings.DEFAULTS, seed);
    for (int i = 0; i < 8; i++) {
      sim.addAgent("a" + i, "cpus:4;mem:4096");
    }
    FrameworkPolicy p =
        new FrameworkPolicy(Resources.parse("cpus:1;mem:1024"), 2, 10, null, Duration.ofSeconds(5));
    sim.addFramework("x", "r1", p);
    sim.addFramework("y", "r2", p);
    sim.addFramework("z", "r2", p);
    sim.runUntilQuiet(100, Duration.ofSeconds(1));
    return sim.frameworks().stream()
        .flatMap(f -> f.offers().stream())
        .map(o -> o.frameworkId() + "@" + o.agentId() + ":" + o.resources())
        .toList();
  }

  @Test
  void sameSeedSameHistory() {
    assertThat(history(5)).isEqualTo(history(5)).isNotEmpty();
  }

  @Test
  void frameworksLaunchByTheirPolicyAndGiveBackTheRest() {
    Simulation sim = new Simulation(AllocationSettings.DEFAULTS, 1);
    AgentId a = sim.addAgent("a", "cpus:4;mem:4096");
    SimFramework f =
        sim.addFramework(
            "f", "r", new FrameworkPolicy(Resources.parse("cpus:1;mem:1024"), 3, 10, null, null));
    Simulation.CycleReport report = sim.cycle();
    assertThat(report.tasksLaunched()).isEqualTo(3);
    assertThat(report.offers()).extracting(Offer::agentId).containsExactly(a);
    assertThat(sim.allocator().agentAvailable(a))
        .isEqualTo(ResourcePool.unreserved(Resources.parse("cpus:1;mem:1024")));
    SimTask task = f.running().get(0);
    sim.finishTask(task);
    assertThat(sim.allocator().agentAvailable(a))
        .isEqualTo(ResourcePool.unreserved(Resources.parse("cpus:2;mem:2048")));
    assertThatThrownBy(() -> sim.finishTask(task)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void tasksTakeReservationsOfTheirRoleFirst() {
    ResourcePool offer =
        new ResourcePool(
            Resources.parse("cpus:4;mem:4096"),
            Map.of("eng", Resources.parse("cpus:1;mem:512"), "eng/web", Resources.parse("cpus:1")));
    ResourcePool used = Simulation.take(offer, "eng/web", Resources.parse("cpus:3;mem:1024"));
    assertThat(used)
        .isEqualTo(
            new ResourcePool(
                Resources.parse("cpus:1;mem:512"),
                Map.of(
                    "eng",
                    Resources.parse("cpus:1;mem:512"),
                    "eng/web",
                    Resources.parse("cpus:1"))));
    assertThat(Simulation.take(offer, "ops", Resources.parse("cpus:5"))).isNull();
  }

  @Test
  void suppressWhenDoneStopsOffers() {
    Simulation sim = new Simulation(AllocationSettings.DEFAULTS, 1);
    sim.addAgent("a", "cpus:4;mem:4096");
    SimFramework f =
        sim.addFramework(
            "f",
            new FrameworkPolicy(Resources.parse("cpus:1;mem:1024"), 1, 1, null, null)
                .suppressingWhenDone(),
            Set.of("r"));
    sim.cycle();
    assertThat(f.done()).isTrue();
    assertThat(sim.allocator().suppressedRoles(f.id())).containsExactly("r");
    assertThat(sim.cycle().offers()).isEmpty();
  }
}
