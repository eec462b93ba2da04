package io.strata.benchmarks.workloads;

import io.strata.allocator.server.config.AllocatorConfig;
import io.strata.api.Os;
import io.strata.benchmarks.Harness;
import io.strata.benchmarks.inprocess.BenchAllocator;
import io.strata.cli.inprocess.InProcess;
import io.strata.fakes.agents.ProtocolAgent;
import io.strata.fakes.agents.SimulatedCluster;
import io.strata.workloads.Workloads;
import io.strata.workloads.services.AppView;
import io.strata.workloads.spec.AppSpec;
import io.strata.workloads.spec.Specs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Placement throughput through the whole pipeline: a service of N instances is submitted to the
 * built-in services framework (in the allocator's process, over loopback HTTP like any framework),
 * placed on offers from 1,000 protocol-level simulated agents (they register, heartbeat, follow
 * their stream and answer each RunTask with RUNNING without running a process), and counted until
 * the framework has seen every instance RUNNING. Reports tasks per second from submission to the
 * last RUNNING, and to the last ACCEPT.
 *
 * <pre>
 * benchmarks/run placement [agents=1000] [tasks=10000] [runs=3]
 * </pre>
 */
public final class PlacementThroughput {
  static final String ADMIN = BenchAllocator.ADMIN;
  static final String JOIN = BenchAllocator.JOIN;

  private PlacementThroughput() {}

  public static void main(String[] args) {
    Harness.run("placement", () -> runWith(args));
  }

  private static void runWith(String[] args) throws Exception {
    int agents = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int tasks = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
    int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    Path dir = Files.createTempDirectory("strata-placement-bench");
    AllocatorConfig config = BenchAllocator.config(dir);
    try (InProcess allocator = InProcess.start(config, true);
        SimulatedCluster cluster = new SimulatedCluster(allocator.server().uri(), JOIN)) {
      Workloads workloads = allocator.workloads();
      addAgents(cluster, agents);
      awaitSubscribed(workloads);
      for (int run = 1; run <= runs; run++) {
        place(workloads, cluster, "bench" + run, "run " + run, tasks, agents, () -> {});
      }
    }
  }

  /**
   * One run: a service of {@code tasks} instances submitted, timed until every instance is RUNNING,
   * then removed (and waited for until forgotten). Prints the run's figures.
   *
   * @param check runs while waiting; throws to abandon the run
   * @return tasks per second, from submission to the last RUNNING
   */
  static double place(
      Workloads workloads,
      SimulatedCluster cluster,
      String id,
      String run,
      int tasks,
      int agents,
      Runnable check)
      throws Exception {
    AppSpec app =
        (AppSpec)
            Specs.decode(
                "bench.yaml",
                "kind: service\nid: "
                    + id
                    + "\ninstances: "
                    + tasks
                    + "\ncommand: sleep 1d\nresources: {cpus: 0.01, mem: 1Mi}\n");
    long before = launched(cluster);
    long cpuBefore = cpuNanos();
    long start = System.nanoTime();
    System.out.printf("%s: submitting at %s%n", run, java.time.LocalTime.now());
    workloads.submit(app);
    long allAccepted = 0;
    while (true) {
      if (allAccepted == 0 && launched(cluster) - before >= tasks) {
        allAccepted = System.nanoTime();
      }
      AppView v =
          workloads.apps().stream().filter(a -> a.id().equals(id)).findFirst().orElseThrow();
      if (v.running() >= tasks) {
        break;
      }
      check.run();
      Thread.sleep(10);
    }
    long end = System.nanoTime();
    double cpuSeconds = (cpuNanos() - cpuBefore) / 1e9;
    if (allAccepted == 0) {
      allAccepted = end;
    }
    double seconds = (end - start) / 1e9;
    System.out.printf(
        "%s: %d tasks on %d agents: all RUNNING in %.2f s = %.0f tasks/s (all launched at %.2f s = %.0f tasks/s)%n",
        run,
        tasks,
        agents,
        seconds,
        tasks / seconds,
        (allAccepted - start) / 1e9,
        tasks / ((allAccepted - start) / 1e9));
    // Everything (allocator, framework, simulated agents) is in this JVM: its CPU time per task
    // bounds the throughput this machine's cores could give it, were they all its own.
    int cores = Runtime.getRuntime().availableProcessors();
    System.out.printf(
        "%s: CPU %.2f s (%.0f us per task; %.1f of %d cores busy on average):"
            + " ceiling with %d cores to itself %.0f tasks/s%n",
        run,
        cpuSeconds,
        cpuSeconds * 1e6 / tasks,
        cpuSeconds / seconds,
        cores,
        cores,
        tasks * cores / cpuSeconds);
    long removing = System.nanoTime();
    workloads.removeApp(id);
    double answered = (System.nanoTime() - removing) / 1e9;
    // Wait until the framework has digested every kill and forgotten the app.
    while (running(cluster) > 0 || workloads.apps().stream().anyMatch(a -> a.id().equals(id))) {
      check.run();
      Thread.sleep(50);
    }
    System.out.printf(
        "removed %d instances: removeApp answered in %.2f s, all killed and forgotten in %.1f s%n",
        tasks, answered, (System.nanoTime() - removing) / 1e9);
    return tasks / seconds;
  }

  /** Registers {@code agents} simulated agents of 64 cpus and 256 GiB each, in 20 racks. */
  static void addAgents(SimulatedCluster cluster, int agents) {
    long t = System.nanoTime();
    for (int i = 0; i < agents; i++) {
      cluster.add(
          String.format("sim-%04d", i),
          Os.LINUX,
          "cpus:64;mem:262144",
          Map.of("rack", "r" + (i % 20)));
    }
    System.out.printf(
        "%d simulated agents registered in %.1f s%n", agents, (System.nanoTime() - t) / 1e9);
  }

  /** CPU time of this whole process (every thread), in nanoseconds. */
  static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  static void awaitSubscribed(Workloads workloads) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (workloads.status().values().stream()
          .allMatch(s -> ((Map<?, ?>) s).get("subscribed").equals(true))) {
        return;
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("the built-in frameworks did not subscribe");
  }

  static long launched(SimulatedCluster cluster) {
    long n = 0;
    for (ProtocolAgent a : cluster.agents()) {
      n += a.launched().size();
    }
    return n;
  }

  static long running(SimulatedCluster cluster) {
    long n = 0;
    for (ProtocolAgent a : cluster.agents()) {
      n += a.running().size();
    }
    return n;
  }
}
