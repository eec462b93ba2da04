package io.strata.benchmarks.workloads;

import io.strata.api.client.AllocatorEndpoints;
import io.strata.api.client.ApiException;
import io.strata.api.client.OperatorClient;
import io.strata.api.operator.JoinTokenRequest;
import io.strata.benchmarks.Harness;
import io.strata.provisioner.providers.local.ClusterState;
import io.strata.provisioner.providers.local.ClusterState.ServerRecord;
import io.strata.provisioner.providers.local.LocalCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Failover time of {@code strata up --ha}, as a user's cluster has it: the distribution's {@code
 * bin/strata up --ha} (3 ZooKeeper servers, 3 allocators, each its own process), then, N times:
 * {@code kill -9} of the leading allocator, and the time from the kill until a write through the
 * API (a join token issued: a journaled, fenced write) succeeds on the new leader, through a client
 * that knows all three allocators' URLs (it finds the new leader by itself, as the CLI and the
 * agents do). After each kill {@code strata up --ha} starts the killed allocator again (a standby)
 * before the next. Prints each time, then min/median/max; runs {@code strata down} at the end.
 *
 * <pre>
 * benchmarks/run failover [kills=20] [agents=0] [port=5590]
 * </pre>
 */
public final class FailoverTime {
  private FailoverTime() {}

  public static void main(String[] args) {
    Harness.run("failover", () -> runWith(args));
  }

  private static void runWith(String[] args) throws Exception {
    int kills = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    int agents = args.length > 1 ? Integer.parseInt(args[1]) : 0;
    int port = args.length > 2 ? Integer.parseInt(args[2]) : 5590;
    // bin/strata, or (the smoke run in mvn verify) a launcher of the built distribution.
    Path strata = Path.of(System.getProperty("strata.command", "bin/strata")).toAbsolutePath();
    Path data = Files.createTempDirectory("strata-failover-bench");
    List<String> up =
        List.of(
            strata.toString(),
            "up",
            "--ha",
            "--agents",
            Integer.toString(agents),
            "--data-dir",
            data.toString(),
            "--port",
            Integer.toString(port));
    List<Double> times = new ArrayList<>();
    try {
      System.out.print(UpTime.exec(up));
      ClusterState state = LocalCluster.read(data).orElseThrow();
      String token =
          Files.readString(Path.of(state.adminTokenFile()), StandardCharsets.UTF_8).strip();
      OperatorClient client =
          new OperatorClient(AllocatorEndpoints.parse(state.url()), token, null);
      client.issueJoinToken(new JoinTokenRequest(3600L, "failover benchmark: before"));
      for (int kill = 1; kill <= kills; kill++) {
        ServerRecord leader = leader(state);
        long start = System.nanoTime();
        ProcessHandle.of(leader.process().pid()).ifPresent(ProcessHandle::destroyForcibly);
        awaitWrite(client, start);
        double seconds = (System.nanoTime() - start) / 1e9;
        String newLeader = LocalCluster.leader(state).orElse("(none now)");
        times.add(seconds);
        System.out.printf(
            "kill %d: kill -9 of %s (pid %d): a write succeeded after %.2f s, on %s%n",
            kill, leader.address(), leader.process().pid(), seconds, newLeader);
        UpTime.exec(up); // the killed allocator again, as a standby
        state = LocalCluster.read(data).orElseThrow();
      }
    } finally {
      UpTime.exec(List.of(strata.toString(), "down", "--data-dir", data.toString()));
    }
    List<Double> sorted = new ArrayList<>(times);
    Collections.sort(sorted);
    System.out.printf(
        "failover over %d kills: min %.2f s, median %.2f s, max %.2f s%n",
        sorted.size(), sorted.get(0), UpTime.median(sorted), sorted.get(sorted.size() - 1));
  }

  /** The allocator that leads now (waits up to a minute for one). */
  static ServerRecord leader(ClusterState state) throws InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (System.nanoTime() < deadline) {
      Optional<String> url = LocalCluster.leader(state);
      if (url.isPresent()) {
        for (ServerRecord a : state.allocators()) {
          if (a.address().equals(url.get())) {
            return a;
          }
        }
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("no allocator leads");
  }

  /** Issues join tokens until one is issued. */
  static void awaitWrite(OperatorClient client, long start) throws InterruptedException {
    String last = "";
    while (System.nanoTime() - start < 120_000_000_000L) {
      try {
        client.issueJoinToken(new JoinTokenRequest(3600L, "failover benchmark"));
        return;
      } catch (ApiException e) {
        last = e.getMessage();
        Thread.sleep(10);
      }
    }
    throw new IllegalStateException("no write succeeded within 120 s after the kill: " + last);
  }
}
