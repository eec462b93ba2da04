package io.strata.benchmarks;

import io.strata.api.AgentId;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cycle that follows adding one agent to a loaded cluster (DeclineOffers' cluster, every agent
 * holding an outstanding offer): only the new agent is examined and offered.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 200)
@Measurement(iterations = 1000)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
public class NewAgentBenchmark {
  @Param({"10000"})
  public int agents;

  @Param({"1000"})
  public int frameworks;

  private DeclineOffersCluster cluster;
  private AgentId added;

  @Setup(Level.Trial)
  public void build() {
    cluster = new DeclineOffersCluster(agents, frameworks, 1);
  }

  @Setup(Level.Iteration)
  public void addAgent() {
    added = cluster.addAgent();
  }

  @Benchmark
  public int allocateNewAgent() {
    return cluster.cycle().size();
  }

  @TearDown(Level.Iteration)
  public void removeAgent() {
    cluster.removeAgent(added);
  }
}
