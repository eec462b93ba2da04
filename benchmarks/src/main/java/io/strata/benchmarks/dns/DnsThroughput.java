package io.strata.benchmarks.dns;

import io.strata.allocator.server.config.AllocatorConfig;
import io.strata.api.Os;
import io.strata.benchmarks.Harness;
import io.strata.benchmarks.inprocess.BenchAllocator;
import io.strata.cli.inprocess.InProcess;
import io.strata.fakes.agents.SimulatedCluster;
import io.strata.workloads.Workloads;
import io.strata.workloads.services.AppView;
import io.strata.workloads.spec.AppSpec;
import io.strata.workloads.spec.Specs;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * DNS answers per second from the allocator's built-in server, over UDP on loopback: the allocator
 * with the built-in frameworks in this process, APPS apps of 3 instances each on AGENTS simulated
 * agents (protocol level, each registering its own 127.x address), then CLIENTS closed-loop clients
 * (each sends a query and waits for its answer) for SECONDS seconds, cycling through every app's A
 * and SRV name, every agent's A name and a name that does not exist (NXDOMAIN). Counts answers
 * received with the expected code; reports answers/s and the latency's p50/p99.
 *
 * <pre>
 * benchmarks/run dns [agents=100] [apps=50] [clients=4] [seconds=10]
 * </pre>
 */
public final class DnsThroughput {
  static final String ADMIN = BenchAllocator.ADMIN;
  static final String JOIN = BenchAllocator.JOIN;

  private DnsThroughput() {}

  public static void main(String[] args) {
    Harness.run("dns", () -> runWith(args));
  }

  private static void runWith(String[] args) throws Exception {
    int agents = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    int apps = args.length > 1 ? Integer.parseInt(args[1]) : 50;
    int clients = args.length > 2 ? Integer.parseInt(args[2]) : 4;
    double seconds = args.length > 3 ? Double.parseDouble(args[3]) : 10;
    Path dir = Files.createTempDirectory("strata-dns-bench");
    AllocatorConfig config = BenchAllocator.config(dir);
    try (InProcess allocator = InProcess.start(config, true);
        SimulatedCluster cluster = new SimulatedCluster(allocator.server().uri(), JOIN)) {
      for (int i = 0; i < agents; i++) {
        cluster.add(
            String.format("sim-%04d", i),
            Os.LINUX,
            "cpus:64;mem:262144",
            Map.of(),
            "http://127.0." + (1 + i / 250) + "." + (1 + i % 250) + ":5051");
      }
      Workloads workloads = allocator.workloads();
      awaitSubscribed(workloads);
      for (int a = 0; a < apps; a++) {
        workloads.submit(
            (AppSpec)
                Specs.decode(
                    "bench.yaml",
                    "kind: service\nid: app"
                        + a
                        + "\ninstances: 3\ncommand: sleep 1d\n"
                        + "resources: {cpus: 0.01, mem: 1Mi, ports: 1}\n"));
      }
      while (workloads.apps().stream().mapToInt(AppView::running).sum() < 3 * apps) {
        Thread.sleep(20);
      }
      int port = allocator.server().dnsPort();
      List<byte[]> queries = new ArrayList<>();
      List<Integer> expected = new ArrayList<>();
      for (int a = 0; a < apps; a++) {
        add(queries, expected, "app" + a + ".services.strata.", Type.A, Rcode.NOERROR);
        add(queries, expected, "_app" + a + "._tcp.services.strata.", Type.SRV, Rcode.NOERROR);
      }
      for (int i = 0; i < agents; i++) {
        add(queries, expected, String.format("sim-%04d.agents.strata.", i), Type.A, Rcode.NOERROR);
      }
      add(queries, expected, "nope.services.strata.", Type.A, Rcode.NXDOMAIN);
      System.out.printf(
          "%d apps x 3 instances RUNNING on %d simulated agents; %d distinct queries; %d clients,"
              + " %.0f s, UDP to 127.0.0.1:%d%n",
          apps, agents, queries.size(), clients, seconds, port);
      blast(port, queries, expected, clients, Math.max(1, seconds / 5), false); // warm-up
      blast(port, queries, expected, clients, seconds, true);
    }
  }

  private static void add(
      List<byte[]> queries, List<Integer> expected, String name, int type, int rcode)
      throws Exception {
    queries.add(
        Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN)).toWire());
    expected.add(rcode);
  }

  private static void blast(
      int port,
      List<byte[]> queries,
      List<Integer> expected,
      int clients,
      double seconds,
      boolean report)
      throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    long[] answers = new long[clients];
    long[] wrong = new long[clients];
    List<List<Long>> latencies = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    for (int c = 0; c < clients; c++) {
      int me = c;
      List<Long> mine = new ArrayList<>();
      latencies.add(mine);
      threads.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    byte[] buffer = new byte[4096];
                    try (DatagramSocket s = new DatagramSocket()) {
                      s.setSoTimeout(2000);
                      s.connect(loopback, port);
                      int i = me;
                      while (!stop.get()) {
                        int q = i++ % queries.size();
                        byte[] query = queries.get(q);
                        long t = System.nanoTime();
                        s.send(new DatagramPacket(query, query.length));
                        DatagramPacket in = new DatagramPacket(buffer, buffer.length);
                        try {
                          s.receive(in);
                        } catch (SocketTimeoutException lost) {
                          wrong[me]++;
                          continue;
                        }
                        long took = System.nanoTime() - t;
                        int rcode = buffer[3] & 0x0f;
                        if (rcode == expected.get(q)
                            && buffer[0] == query[0]
                            && buffer[1] == query[1]) {
                          answers[me]++;
                          if (mine.size() < 2_000_000) {
                            mine.add(took);
                          }
                        } else {
                          wrong[me]++;
                        }
                      }
                    } catch (Exception e) {
                      throw new IllegalStateException(e);
                    }
                  }));
    }
    long start = System.nanoTime();
    Thread.sleep((long) (seconds * 1000));
    stop.set(true);
    for (Thread t : threads) {
      t.join();
    }
    double took = (System.nanoTime() - start) / 1e9;
    long total = 0;
    long bad = 0;
    List<Long> all = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      total += answers[c];
      bad += wrong[c];
      all.addAll(latencies.get(c));
    }
    if (bad > 0) {
      throw new IllegalStateException(bad + " queries lost or answered wrongly");
    }
    if (report) {
      System.out.printf(
          "%d answers in %.1f s = %.0f answers/s; latency %s%n",
          total, took, total / took, latency(all));
    }
  }

  /** p50, p99 and max of samples in nanoseconds, in microseconds. */
  static String latency(List<Long> nanos) {
    long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
    if (sorted.length == 0) {
      return "none";
    }
    return String.format(
        "p50 %.0f us, p99 %.0f us, max %.1f ms",
        sorted[(int) Math.ceil(0.50 * sorted.length) - 1] / 1e3,
        sorted[(int) Math.ceil(0.99 * sorted.length) - 1] / 1e3,
        sorted[sorted.length - 1] / 1e6);
  }

  static void awaitSubscribed(Workloads workloads) throws InterruptedException {
    while (!workloads.status().values().stream()
        .allMatch(s -> ((Map<?, ?>) s).get("subscribed").equals(true))) {
      Thread.sleep(50);
    }
  }
}
