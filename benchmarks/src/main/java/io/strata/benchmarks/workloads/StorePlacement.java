package io.strata.benchmarks.workloads;

import io.strata.allocator.server.config.AllocatorConfig;
import io.strata.benchmarks.Harness;
import io.strata.cli.inprocess.InProcess;
import io.strata.fakes.agents.SimulatedCluster;
import io.strata.workloads.Workloads;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;

/**
 * Placement throughput on each state store, in one run: the workload of {@link PlacementThroughput}
 * (the built-in services framework accepting offers and launching a service of N instances on
 * simulated agents, which answer every RunTask with RUNNING in status batches, each a durable
 * change of the master) once on the embedded journal on local disk, then once on {@code
 * ZooKeeperStore} with a real 3-server ZooKeeper ensemble (curator-test's {@code TestingCluster}:
 * three ZooKeeper 3.9.5 servers in this JVM on 127.0.0.1, each with its own data directory and
 * transaction log on the same disk as the journal, syncing as a production server does). Only the
 * store differs: same allocator settings, agents, framework and service. Prints each store's median
 * tasks per second (submission to the last RUNNING) and ZooKeeper's over the journal's.
 *
 * <pre>
 * benchmarks/run store-placement [agents=200] [tasks=5000] [runs=3] [servers=3]
 * </pre>
 */
public final class StorePlacement {
  private StorePlacement() {}

  public static void main(String[] args) {
    Harness.run("store-placement", () -> runWith(args));
  }

  private static void runWith(String[] args) throws Exception {
    int agents = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int tasks = args.length > 1 ? Integer.parseInt(args[1]) : 5000;
    int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    int servers = args.length > 3 ? Integer.parseInt(args[3]) : 3;
    // No admin HTTP server in the ZooKeeper servers (it would listen on every interface).
    System.setProperty("zookeeper.admin.enableServer", "false");
    Path dir = Files.createTempDirectory("strata-store-placement");
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    Files.writeString(dir.resolve("token-key"), Base64.getEncoder().encodeToString(key));

    try (TestingCluster zk = ensemble(servers)) {
      zk.start();
      String url = "zk://" + zk.getConnectString() + "/strata";
      try (Placing journal = new Placing("journal", config(dir.resolve("journal"), dir, null));
          Placing zookeeper =
              new Placing("zookeeper", config(dir.resolve("zookeeper"), dir, url))) {
        for (Placing p : List.of(journal, zookeeper)) {
          p.agents(agents);
          // One unmeasured run warms the JIT and the store up, for both stores alike.
          p.run(0, tasks, agents);
        }
        // Runs alternate between the stores, so that whatever else loads the machine, and the JIT
        // still compiling, weighs on both alike.
        for (int run = 1; run <= runs; run++) {
          journal.run(run, tasks, agents);
          zookeeper.run(run, tasks, agents);
        }
        double j = median(journal.rates);
        double z = median(zookeeper.rates);
        System.out.printf(
            "placement throughput, %d tasks on %d agents, median of %d runs each:"
                + " journal %.0f tasks/s %s, ZooKeeper (%d servers) %.0f tasks/s %s,"
                + " ZooKeeper/journal = %.2f%n",
            tasks,
            agents,
            runs,
            j,
            rounded(journal.rates),
            servers,
            z,
            rounded(zookeeper.rates),
            z / j);
      }
    }
  }

  /** One allocator (with the built-in frameworks) on one store, and its simulated agents. */
  private static final class Placing implements AutoCloseable {
    final String name;
    final InProcess allocator;
    final Workloads workloads;
    final SimulatedCluster cluster;
    final List<Double> rates = new ArrayList<>();

    Placing(String name, AllocatorConfig config) throws InterruptedException {
      this.name = name;
      this.allocator = InProcess.start(config, true);
      this.workloads = awaitLeading(allocator);
      this.cluster = new SimulatedCluster(allocator.server().uri(), PlacementThroughput.JOIN);
    }

    void agents(int agents) throws InterruptedException {
      System.out.print(name + ": ");
      PlacementThroughput.addAgents(cluster, agents);
      PlacementThroughput.awaitSubscribed(workloads);
    }

    void run(int run, int tasks, int agents) throws Exception {
      String label = name + (run == 0 ? " warm-up" : " run " + run);
      double rate =
          PlacementThroughput.place(
              workloads,
              cluster,
              name + run,
              label,
              tasks,
              agents,
              () -> {
                if (allocator.workloads() != workloads) {
                  // It stepped down (e.g. the machine was too loaded for its ZooKeeper session):
                  // no figure from this run would be the store's.
                  throw new IllegalStateException(
                      name + ": the allocator stopped leading during " + label);
                }
              });
      if (run > 0) {
        rates.add(rate);
      }
    }

    @Override
    public void close() {
      cluster.close();
      allocator.close();
    }
  }

  private static List<Long> rounded(List<Double> rates) {
    return rates.stream().map(Math::round).toList();
  }

  /** The built-in frameworks, once this allocator leads (at once on the journal). */
  private static Workloads awaitLeading(InProcess allocator) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      Workloads w = allocator.workloads();
      if (w != null) {
        return w;
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException("the allocator did not lead within 60 s");
  }

  private static AllocatorConfig config(Path data, Path dir, String zookeeper) {
    return AllocatorConfig.parse(
        "dataDir: "
            + data
            + "\nhost: 127.0.0.1\nport: 0\njoinToken: "
            + PlacementThroughput.JOIN
            + "\ntokenKeyFile: "
            + dir.resolve("token-key")
            + "\nagentHeartbeatIntervalMillis: 5000\nagentUnreachableAfterMillis: 60000"
            + "\nallocationSeed: 1\n"
            // A long session: the ensemble shares this JVM (and its GC pauses) with the
            // allocators, frameworks and agents, on a machine where a 10 s one lapsed.
            + (zookeeper == null
                ? ""
                : "zookeeper: " + zookeeper + "\nzookeeperSessionTimeoutMillis: 30000\n")
            + "principals:\n  - {name: admin, token: "
            + PlacementThroughput.ADMIN
            + ", operator: true}\n");
  }

  /**
   * Real ZooKeeper servers on 127.0.0.1 with ZooKeeper's usual 2 s tick (sessions of 4 to 40 s). A
   * follower is dropped after 30 s of silence, not the usual 10 s: on a machine loaded by others
   * the in-process servers went quiet that long, the leader lost its quorum, and the allocator had
   * to step down in the middle of a run.
   */
  private static TestingCluster ensemble(int size) {
    List<InstanceSpec> specs = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      specs.add(
          new InstanceSpec(
              null,
              -1,
              -1,
              -1,
              true,
              i + 1,
              2000,
              -1,
              Map.of("clientPortAddress", "127.0.0.1", "syncLimit", "15"),
              "127.0.0.1"));
    }
    return new TestingCluster(specs);
  }

  private static double median(List<Double> values) {
    double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(v);
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }
}
