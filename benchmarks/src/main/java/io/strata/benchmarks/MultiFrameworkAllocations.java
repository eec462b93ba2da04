package io.strata.benchmarks;

import io.strata.allocator.core.AllocationSettings;
import io.strata.allocator.sim.FrameworkPolicy;
import io.strata.allocator.sim.SimFramework;
import io.strata.allocator.sim.Simulation;
import io.strata.api.Resources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Mesos' {@code BENCHMARK_HierarchicalAllocations.MultiFrameworkAllocations} on the simulation
 * harness: 80 agents {@code cpus:64;mem:488000}; 4 service frameworks (own roles) of 4000 tasks
 * {@code cpus:0.07;mem:400}, at most 100 per offer; 500 CI frameworks in one role, 5 tasks {@code
 * cpus:0.1;mem:4000}, 1 per offer; 50 analytics frameworks (own roles), 20 tasks {@code
 * cpus:1;mem:1000}, at most 5 per offer. Each round is one allocation cycle; frameworks launch what
 * their profile allows and give the rest back without a filter (as the Mesos benchmark). Reports
 * the rounds and the wall time until every task is launched.
 */
public final class MultiFrameworkAllocations {
  /** The outcome of one run; {@code target} is the number of tasks all profiles want. */
  public record Result(
      int rounds, int tasks, int target, long offers, long wallNanos, long cycleNanos) {
    public boolean complete() {
      return tasks == target;
    }
  }

  /** What a framework does once it launched all its tasks. */
  public enum WhenDone {
    MESOS_PROFILE,
    SUPPRESS_WHEN_DONE
  }

  static final int STALL_ROUNDS = 1000;

  private MultiFrameworkAllocations() {}

  public static void main(String[] args) {
    Harness.run("multi-framework", () -> runWith(args));
  }

  private static void runWith(String[] args) throws Exception {
    int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    for (WhenDone mode : WhenDone.values()) {
      for (int i = 0; i < repeats; i++) {
        Result r = run(1.0, i, mode);
        System.out.printf(
            "%s seed %d: launched %d of %d tasks in %d rounds (%d offers)%s, wall %.1f ms, of"
                + " which in the allocator %.1f ms%n",
            mode,
            i,
            r.tasks,
            r.target,
            r.rounds,
            r.offers,
            r.complete() ? "" : " (stalled: no task launched for " + STALL_ROUNDS + " rounds)",
            r.wallNanos / 1e6,
            r.cycleNanos / 1e6);
      }
    }
  }

  /**
   * Runs the workload; {@code scale} shrinks task and framework counts (not the 80 agents) for a
   * quick smoke run (1.0 is the benchmark).
   */
  public static Result run(double scale, long seed, WhenDone whenDone) {
    Simulation sim = new Simulation(AllocationSettings.DEFAULTS, seed).recordOffers(false);
    boolean suppress = whenDone == WhenDone.SUPPRESS_WHEN_DONE;
    for (int i = 0; i < 80; i++) {
      sim.addAgent("agent-" + i, "cpus:64;mem:488000");
    }
    List<SimFramework> frameworks = new ArrayList<>();
    for (int i = 1; i <= 4; i++) {
      frameworks.add(
          sim.addFramework(
              "marathon-" + i,
              profile("cpus:0.07;mem:400", 100, (int) (4000 * scale), suppress),
              Set.of("role-a-" + i)));
    }
    for (int i = 1; i <= Math.max(1, (int) (500 * scale)); i++) {
      frameworks.add(
          sim.addFramework(
              "jenkins-" + i, profile("cpus:0.1;mem:4000", 1, 5, suppress), Set.of("role-b")));
    }
    for (int i = 1; i <= Math.max(1, (int) (50 * scale)); i++) {
      frameworks.add(
          sim.addFramework(
              "spark-" + i, profile("cpus:1;mem:1000", 5, 20, suppress), Set.of("role-c-" + i)));
    }
    int target = frameworks.stream().mapToInt(f -> f.policy().maxTasks()).sum();
    int launched = 0;
    int rounds = 0;
    int lastProgress = 0;
    long offers = 0;
    long start = System.nanoTime();
    while (launched < target && rounds - lastProgress < STALL_ROUNDS) {
      Simulation.CycleReport report = sim.cycle();
      launched += report.tasksLaunched();
      offers += report.offers().size();
      rounds++;
      if (report.tasksLaunched() > 0) {
        lastProgress = rounds;
      }
      sim.clock().advance(Duration.ofSeconds(1));
    }
    return new Result(
        complete(launched, target) ? rounds : lastProgress,
        launched,
        target,
        offers,
        System.nanoTime() - start,
        sim.allocatorNanos());
  }

  private static boolean complete(int launched, int target) {
    return launched == target;
  }

  private static FrameworkPolicy profile(String task, int perOffer, int total, boolean suppress) {
    FrameworkPolicy p = new FrameworkPolicy(Resources.parse(task), perOffer, total, null, null);
    return suppress ? p.suppressingWhenDone() : p;
  }
}
