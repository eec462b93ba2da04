package io.strata.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Mesos' DeclineOffers: one measured invocation is one round's allocation cycle, after every offer
 * of the previous round was declined with a long filter (the decline is setup, not measured). Every
 * agent is a candidate in every round, as in Mesos.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 20)
@Measurement(iterations = 30)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms6g", "-Xmx6g"})
public class DeclineOffersBenchmark {
  @Param({"1000", "10000", "50000"})
  public int agents;

  @Param({"100", "1000", "3000"})
  public int frameworks;

  private DeclineOffersCluster cluster;

  @Setup(Level.Trial)
  public void build() {
    cluster = new DeclineOffersCluster(agents, frameworks, 1);
  }

  @Setup(Level.Iteration)
  public void declineEverything() {
    cluster.declineAll();
  }

  @Benchmark
  public int allocationCycle() {
    return cluster.cycle().size();
  }
}
