package io.strata.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Keeps the benchmark setups honest at toy sizes: they build the intended cluster and drive it as
 * described. No timing is asserted (benchmarks are not tests).
 */
class BenchmarkSetupTest {

  @Test
  void declineOffersOffersEachAgentToEachFrameworkOnceThenNothing() {
    DeclineOffersCluster cluster = new DeclineOffersCluster(20, 5, 1);
    int rounds = 0;
    int offers = cluster.declineAll();
    assertThat(offers).isEqualTo(20);
    while (!cluster.cycle().isEmpty()) {
      rounds++;
      assertThat(cluster.declineAll()).isEqualTo(20);
    }
    // The initial offer went to one framework per agent; the other four are offered it in turn.
    assertThat(rounds).isEqualTo(4);
    assertThat(cluster.fullCycle()).isEmpty();
    assertThat(cluster.allocator().lastCycle().agentsConsidered()).isEqualTo(20);
  }

  @Test
  void aNewAgentIsOfferedAlone() {
    DeclineOffersCluster cluster = new DeclineOffersCluster(50, 5, 1);
    cluster.addAgent();
    assertThat(cluster.cycle()).hasSize(1);
    assertThat(cluster.allocator().lastCycle().agentsConsidered()).isEqualTo(1);
  }

  @Test
  void multiFrameworkWorkloadLaunchesEverything() {
    MultiFrameworkAllocations.Result r =
        MultiFrameworkAllocations.run(
            0.05, 1, MultiFrameworkAllocations.WhenDone.SUPPRESS_WHEN_DONE);
    assertThat(r.target()).isEqualTo(4 * 200 + 25 * 5 + 2 * 20);
    assertThat(r.complete()).isTrue();
    assertThat(r.rounds()).isPositive();
  }

  @Test
  void heapSetupRunsTheTasks() {
    AllocatorHeap.Result r = AllocatorHeap.measure(100, 1000);
    assertThat(r.tasks()).isEqualTo(1000);
    assertThat(r.allocatorOnly()).isPositive();
  }
}
