package io.strata.allocator.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.allocator.core.AllocationSettings;
import io.strata.api.ResourcePool;
import io.strata.api.Resources;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Dominant Resource Fairness over many cycles, on the simulation: the DRF paper's example and
 * weights. The single-cycle cases are the allocator's {@code DrfTest}.
 */
class DrfSimulationTest {

  /**
   * The example of the DRF paper (Ghodsi et al., NSDI 2011): 9 CPUs and 18 GB; user A runs tasks of
   * <1 CPU, 4 GB>, user B of <3 CPUs, 1 GB>. DRF gives A three tasks and B two, both at a dominant
   * share of 2/3.
   */
  @Test
  void drfPaperExample() {
    Simulation sim = new Simulation(AllocationSettings.DEFAULTS, 7);
    sim.addAgent("host", "cpus:9;mem:18Gi");
    // Each framework launches one task per offer and declines what it cannot use (5 s filter).
    FrameworkPolicy oneTaskPerOffer =
        new FrameworkPolicy(Resources.EMPTY, 1, 100, null, Duration.ofSeconds(5));
    SimFramework a =
        sim.addFramework("A", "a", oneTaskPerOffer.withTask(Resources.parse("cpus:1;mem:4Gi")));
    SimFramework b =
        sim.addFramework("B", "b", oneTaskPerOffer.withTask(Resources.parse("cpus:3;mem:1Gi")));

    sim.runUntilQuiet(50, Duration.ofMillis(100));

    assertThat(a.launched()).isEqualTo(3);
    assertThat(b.launched()).isEqualTo(2);
    Resources total = sim.allocator().clusterTotal();
    assertThat(dominantShare(sim.allocator().frameworkAllocated(a.id()), total)).isEqualTo(2.0 / 3);
    assertThat(dominantShare(sim.allocator().frameworkAllocated(b.id()), total)).isEqualTo(2.0 / 3);
    assertThat(sim.allocator().role("a").orElseThrow().dominantShare()).isEqualTo(2.0 / 3);
    assertThat(sim.allocator().role("b").orElseThrow().dominantShare()).isEqualTo(2.0 / 3);
  }

  private static double dominantShare(ResourcePool held, Resources total) {
    Resources r = held.total();
    return Math.max(
        (double) r.millicpus() / total.millicpus(), (double) r.memoryBytes() / total.memoryBytes());
  }

  @Test
  void weightsScaleTheFairShare() {
    Simulation sim = new Simulation(AllocationSettings.DEFAULTS, 3);
    sim.allocator().setWeight("heavy", 2.0);
    FrameworkPolicy hold = FrameworkPolicy.greedy(Resources.parse("cpus:1;mem:1024"));
    SimFramework light = sim.addFramework("light", "light", hold);
    SimFramework heavy = sim.addFramework("heavy", "heavy", hold);
    for (int i = 0; i < 6; i++) {
      sim.addAgent("a" + i, "cpus:1;mem:1024");
      sim.cycle();
    }
    assertThat(heavy.launched()).isEqualTo(4);
    assertThat(light.launched()).isEqualTo(2);
    assertThat(sim.allocator().weight("heavy")).isEqualTo(2.0);
    assertThat(sim.allocator().role("heavy").orElseThrow().dominantShare())
        .isEqualTo(sim.allocator().role("light").orElseThrow().dominantShare());
  }
}
