package io.strata.benchmarks;

import io.strata.allocator.core.AllocationSettings;
import io.strata.allocator.core.HierarchicalAllocator;
import io.strata.allocator.sim.FrameworkPolicy;
import io.strata.allocator.sim.Simulation;
import io.strata.api.FrameworkId;
import io.strata.api.Resources;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.Set;

/**
 * The allocator's heap with 10k agents and 100k tasks. 100 frameworks in 10 roles each launch 1000
 * tasks of {@code cpus:1;mem:1024}, one per offer, on agents of {@code cpus:10;mem:10240}: every
 * agent ends up running ten tasks of ten different frameworks, so the core tracks 100k (framework,
 * role, agent) allocations — its worst case for this many tasks. Retained heap is measured as used
 * heap after full GCs (MemoryMXBean), with and without the simulation's own records of the tasks.
 */
public final class AllocatorHeap {
  /** Heap figures in bytes. */
  public record Result(
      int agents,
      int tasks,
      int allocations,
      long baseline,
      long withHarness,
      long allocatorOnly) {}

  private AllocatorHeap() {}

  public static void main(String[] args) {
    Harness.run("heap", () -> runWith(args));
  }

  private static void runWith(String[] args) throws Exception {
    int agents = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int tasks = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
    Result r = measure(agents, tasks);
    System.out.printf(
        "%d agents, %d tasks, %d (framework, role, agent) allocations: allocator core %.1f MiB"
            + " retained; with the harness's task records %.1f MiB (baseline %.1f MiB)%n",
        r.agents,
        r.tasks,
        r.allocations,
        mib(r.allocatorOnly),
        mib(r.withHarness),
        mib(r.baseline));
  }

  private static double mib(long bytes) {
    return bytes / (1024.0 * 1024.0);
  }

  public static Result measure(int agents, int tasks) {
    long baseline = usedAfterGc();
    Simulation sim = new Simulation(AllocationSettings.DEFAULTS, 1);
    int frameworks = 100;
    int perFramework = tasks / frameworks;
    for (int i = 0; i < agents; i++) {
      sim.addAgent("agent-" + i, "cpus:10;mem:10240");
    }
    FrameworkPolicy oneTaskPerOffer =
        new FrameworkPolicy(Resources.parse("cpus:1;mem:1024"), 1, perFramework, null, null);
    for (int i = 0; i < frameworks; i++) {
      sim.addFramework("framework-" + i, oneTaskPerOffer, Set.of("role-" + (i % 10)));
    }
    int launched = 0;
    while (launched < perFramework * frameworks) {
      Simulation.CycleReport r = sim.cycle();
      if (r.offers().isEmpty()) {
        break;
      }
      launched += r.tasksLaunched();
      sim.clock().advance(Duration.ofSeconds(1));
    }
    long withHarness = usedAfterGc() - baseline;
    HierarchicalAllocator allocator = sim.allocator();
    int running = sim.runningTasks().size();
    sim = null;
    long allocatorOnly = usedAfterGc() - baseline;
    if (allocator.agentCount() != agents || running != launched) {
      throw new IllegalStateException("unexpected state: " + running + " tasks");
    }
    int allocations = 0;
    for (int i = 0; i < frameworks; i++) {
      for (var byRole : allocator.frameworkAllocations(FrameworkId.of("framework-" + i)).values()) {
        allocations += byRole.size();
      }
    }
    return new Result(agents, launched, allocations, baseline, withHarness, allocatorOnly);
  }

  private static long usedAfterGc() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used;
  }
}
