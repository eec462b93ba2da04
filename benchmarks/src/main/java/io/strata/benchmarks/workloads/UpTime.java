package io.strata.benchmarks.workloads;

import io.strata.benchmarks.Harness;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code strata up} with 3 agents, as a user runs it: the distribution's {@code bin/strata}, real
 * processes, real cgroups (run as root). Measures the wall time of the command (JVM start of the
 * CLI included) and the time it reports from starting the allocator to every agent registered, then
 * runs {@code strata down}. Repeated, from cold each time (no process left between runs).
 *
 * <pre>
 * benchmarks/run up [runs=5] [agents=3]
 * </pre>
 */
public final class UpTime {
  private static final Pattern REPORTED = Pattern.compile("Strata is up in ([0-9.]+) s");

  private UpTime() {}

  public static void main(String[] args) {
    Harness.run("up", () -> runWith(args));
  }

  private static void runWith(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int agents = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    // The command to time: bin/strata, or (the smoke run in mvn verify) a launcher of the built
    // distribution that never builds.
    Path strata = Path.of(System.getProperty("strata.command", "bin/strata")).toAbsolutePath();
    String port = System.getProperty("strata.port", "5590");
    List<Double> wall = new ArrayList<>();
    List<Double> reported = new ArrayList<>();
    for (int run = 1; run <= runs; run++) {
      Path data = Files.createTempDirectory("strata-up-bench");
      long start = System.nanoTime();
      String out =
          exec(
              List.of(
                  strata.toString(),
                  "up",
                  "--agents",
                  Integer.toString(agents),
                  "--data-dir",
                  data.toString(),
                  "--port",
                  port));
      double seconds = (System.nanoTime() - start) / 1e9;
      Matcher m = REPORTED.matcher(out);
      if (!m.find()) {
        throw new IllegalStateException("strata up did not report success:\n" + out);
      }
      wall.add(seconds);
      reported.add(Double.parseDouble(m.group(1)));
      System.out.printf(
          "run %d: strata up with %d agents: %.2f s wall (command), %s s from allocator start to all registered%n",
          run, agents, seconds, m.group(1));
      exec(List.of(strata.toString(), "down", "--data-dir", data.toString()));
    }
    System.out.printf(
        "median: %.2f s wall, %.2f s reported (of %d runs)%n",
        median(wall), median(reported), runs);
  }

  static String exec(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    StringBuilder out = new StringBuilder();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        out.append(line).append('\n');
      }
    }
    int code = p.waitFor();
    if (code != 0) {
      throw new IllegalStateException(command + " exited " + code + ":\n" + out);
    }
    return out.toString();
  }

  static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }
}
