package io.strata.benchmarks;

import java.util.Arrays;

/**
 * Mesos' DeclineOffers loop as Mesos runs it: {@code 2 × frameworks} rounds (unless fewer are asked
 * for), each declining every outstanding offer with a long filter and timing one allocation cycle;
 * then one Mesos-style full cycle over every agent once everything is filtered. Prints the
 * distribution of the cycle times over the rounds that still made offers. Complements the JMH
 * benchmark, which samples 30 rounds per grid point.
 */
public final class DeclineOffersRounds {
  private DeclineOffersRounds() {}

  public static void main(String[] args) {
    int agents = Integer.parseInt(args[0]);
    int frameworks = Integer.parseInt(args[1]);
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 2 * frameworks;
    long t0 = System.nanoTime();
    DeclineOffersCluster cluster = new DeclineOffersCluster(agents, frameworks, 1);
    System.out.printf(
        "%d agents, %d frameworks: setup %.0f ms%n",
        agents, frameworks, (System.nanoTime() - t0) / 1e6);
    double[] offering = new double[rounds];
    int offeringRounds = 0;
    double idleMax = 0;
    long offers = 0;
    for (int r = 0; r < rounds; r++) {
      cluster.declineAll();
      long c0 = System.nanoTime();
      int n = cluster.cycle().size();
      double ms = (System.nanoTime() - c0) / 1e6;
      offers += n;
      if (n > 0) {
        offering[offeringRounds++] = ms;
      } else {
        idleMax = Math.max(idleMax, ms);
      }
    }
    long f0 = System.nanoTime();
    int n = cluster.fullCycle().size();
    double full = (System.nanoTime() - f0) / 1e6;
    double[] sorted = Arrays.copyOf(offering, offeringRounds);
    Arrays.sort(sorted);
    System.out.printf(
        "%d rounds, %d made offers (%d offers): cycle p50 %.1f ms, p90 %.1f ms, max %.1f ms,"
            + " mean %.1f ms; rounds with nothing left to offer: max %.2f ms;"
            + " full cycle over all agents afterwards %.1f ms (%d offers), %d filters%n",
        rounds,
        offeringRounds,
        offers,
        pct(sorted, 0.5),
        pct(sorted, 0.9),
        offeringRounds == 0 ? 0 : sorted[offeringRounds - 1],
        Arrays.stream(sorted).average().orElse(0),
        idleMax,
        full,
        n,
        cluster.allocator().offerFilterCount());
  }

  private static double pct(double[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    return sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  }
}
