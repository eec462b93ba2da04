package io.strata.benchmarks;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * Mesos' DeclineOffers loop as Mesos runs it: {@code 2 × frameworks} rounds (unless fewer are asked
 * for), each declining every outstanding offer with a long filter and timing one allocation cycle;
 * then one Mesos-style full cycle over every agent once everything is filtered. Prints the
 * distribution over the rounds that still made offers, in wall time and in the allocating thread's
 * CPU time (the machine is shared: CPU time is what the cycle itself costs), and the GC time spent
 * during the timed cycles. Complements the JMH benchmark, which samples 30 rounds.
 */
public final class DeclineOffersRounds {
  private DeclineOffersRounds() {}

  public static void main(String[] args) {
    Harness.run("decline-rounds", () -> runWith(args));
  }

  private static void runWith(String[] args) throws Exception {
    int agents = Integer.parseInt(args[0]);
    int frameworks = Integer.parseInt(args[1]);
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 2 * frameworks;
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long t0 = System.nanoTime();
    DeclineOffersCluster cluster = new DeclineOffersCluster(agents, frameworks, 1);
    System.out.printf(
        "%d agents, %d frameworks: setup %.0f ms%n",
        agents, frameworks, (System.nanoTime() - t0) / 1e6);
    double[] wall = new double[rounds];
    double[] cpu = new double[rounds];
    int offering = 0;
    double idleMax = 0;
    long offers = 0;
    long gcMillis = 0;
    for (int r = 0; r < rounds; r++) {
      cluster.declineAll();
      long gc0 = gcMillis();
      long c0 = threads.getCurrentThreadCpuTime();
      long w0 = System.nanoTime();
      int n = cluster.cycle().size();
      double w = (System.nanoTime() - w0) / 1e6;
      double c = (threads.getCurrentThreadCpuTime() - c0) / 1e6;
      gcMillis += gcMillis() - gc0;
      offers += n;
      if (n > 0) {
        wall[offering] = w;
        cpu[offering] = c;
        offering++;
      } else {
        idleMax = Math.max(idleMax, w);
      }
    }
    long f0 = System.nanoTime();
    int n = cluster.fullCycle().size();
    double full = (System.nanoTime() - f0) / 1e6;
    System.out.printf(
        "%d rounds, %d made offers (%d offers)%n  wall: %s%n  cpu:  %s%n"
            + "  GC during timed cycles: %d ms in total%n"
            + "  rounds with nothing left to offer: max %.2f ms; full cycle over all agents"
            + " afterwards %.1f ms (%d offers), %d filters installed%n",
        rounds,
        offering,
        offers,
        stats(Arrays.copyOf(wall, offering)),
        stats(Arrays.copyOf(cpu, offering)),
        gcMillis,
        idleMax,
        full,
        n,
        cluster.allocator().offerFilterCount());
  }

  private static long gcMillis() {
    long sum = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      sum += Math.max(0, gc.getCollectionTime());
    }
    return sum;
  }

  private static String stats(double[] values) {
    if (values.length == 0) {
      return "-";
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return String.format(
        "p50 %.1f ms, p90 %.1f ms, max %.1f ms, mean %.1f ms",
        pct(sorted, 0.5),
        pct(sorted, 0.9),
        sorted[sorted.length - 1],
        Arrays.stream(sorted).average().orElse(0));
  }

  private static double pct(double[] sorted, double p) {
    return sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  }
}
