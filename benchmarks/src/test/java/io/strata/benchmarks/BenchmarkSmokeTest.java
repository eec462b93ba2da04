package io.strata.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.testkit.RequiresCgroupV1;
import io.strata.testkit.RequiresRoot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Runs every benchmark of {@code benchmarks/run} once, at toy sizes, as the script does (a separate
 * JVM, its main class), so that none can rot unnoticed: each must exit 0, print its result line,
 * and end within a bound (a hung benchmark is killed and fails the test). Nothing about time is
 * asserted: the figures are meaningless at these sizes.
 */
class BenchmarkSmokeTest {
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  private static final long LIMIT_SECONDS = 240;

  /** The subcommands of benchmarks/run this class runs; checked against the script. */
  private static final Set<String> COVERED =
      Set.of(
          "jmh",
          "decline-rounds",
          "multi-framework",
          "heap",
          "placement",
          "store-placement",
          "up",
          "failover",
          "agent-launch",
          "agent-memory",
          "provisioner",
          "dns");

  @Test
  void everyBenchmarkOfTheRunScriptHasASmokeRun() throws IOException {
    String script = Files.readString(ROOT.resolve("benchmarks/run"), StandardCharsets.UTF_8);
    Matcher m = Pattern.compile("(?m)^  ([a-z][a-z-]*)\\)").matcher(script);
    Set<String> cases = new TreeSet<>();
    while (m.find()) {
      cases.add(m.group(1));
    }
    assertThat(cases).isNotEmpty();
    assertThat(new TreeSet<>(COVERED)).isEqualTo(cases);
  }

  @Test
  void jmhBenchmarksRunOneShortIteration() throws Exception {
    for (String benchmark : List.of("DeclineOffersBenchmark", "NewAgentBenchmark")) {
      String out =
          run(
              List.of(),
              "org.openjdk.jmh.Main",
              benchmark,
              "-f",
              "0",
              "-wi",
              "0",
              "-i",
              "1",
              "-r",
              "200ms",
              "-p",
              "agents=200",
              "-p",
              "frameworks=20");
      assertThat(out).contains("Benchmark").contains(benchmark);
    }
  }

  @Test
  void declineRounds() throws Exception {
    assertThat(run(List.of(), "io.strata.benchmarks.DeclineOffersRounds", "200", "10", "4"))
        .containsIgnoringCase("round");
  }

  @Test
  void multiFramework() throws Exception {
    assertThat(run(List.of(), "io.strata.benchmarks.MultiFrameworkAllocations", "1")).isNotBlank();
  }

  @Test
  void heap() throws Exception {
    assertThat(run(List.of("-Xmx1g"), "io.strata.benchmarks.AllocatorHeap", "100", "1000"))
        .contains("MiB");
  }

  @Test
  void placement() throws Exception {
    assertThat(
            run(
                List.of("-Xmx1g"),
                "io.strata.benchmarks.workloads.PlacementThroughput",
                "20",
                "100",
                "1"))
        .contains("tasks/s");
  }

  @Test
  void storePlacement() throws Exception {
    assertThat(
            run(
                List.of("-Xmx1g"),
                "io.strata.benchmarks.workloads.StorePlacement",
                "10",
                "50",
                "1",
                "3"))
        .contains("ZooKeeper/journal = ");
  }

  @Test
  void provisioner() throws Exception {
    assertThat(run(List.of(), "io.strata.benchmarks.provisioner.ProvisionerBenchmark", "4", "20"))
        .contains("lower bound");
  }

  @Test
  void dns() throws Exception {
    assertThat(run(List.of("-Xmx1g"), "io.strata.benchmarks.dns.DnsThroughput", "4", "2", "2", "1"))
        .contains("answers/s");
  }

  @Test
  void aFailingBenchmarkExitsOneAndAnOverlongOneIsStopped() throws Exception {
    assertThat(exitOf(List.of(), "io.strata.benchmarks.DeclineOffersRounds", "many")).isEqualTo(1);
    // The placement harness keeps an allocator's server threads alive; past its limit it stops.
    assertThat(
            exitOf(
                List.of("-Dstrata.bench.limit=PT0.5S"),
                "io.strata.benchmarks.workloads.PlacementThroughput",
                "20",
                "100",
                "50"))
        .isEqualTo(3);
  }

  @Test
  @RequiresRoot
  void up() throws Exception {
    Path launcher = distributionLauncher();
    try {
      assertThat(
              run(
                  List.of("-Dstrata.command=" + launcher, "-Dstrata.port=5690"),
                  "io.strata.benchmarks.workloads.UpTime",
                  "1",
                  "1"))
          .contains("median");
    } finally {
      Files.deleteIfExists(launcher);
    }
  }

  @Test
  @RequiresRoot
  void failover() throws Exception {
    Path launcher = distributionLauncher();
    try {
      assertThat(
              run(
                  List.of("-Dstrata.command=" + launcher),
                  "io.strata.benchmarks.workloads.FailoverTime",
                  "1",
                  "0",
                  "5790"))
          .contains("median");
    } finally {
      Files.deleteIfExists(launcher);
    }
  }

  /**
   * The distribution the build just made, started as bin/strata starts it but without bin/strata's
   * staleness check (which would run Maven inside Maven).
   */
  private static Path distributionLauncher() throws IOException {
    Path dist = ROOT.resolve("cli/target/strata");
    assertThat(dist.resolve("lib")).isDirectory();
    Path launcher = Files.createTempFile("strata-smoke-", ".sh");
    Files.writeString(
        launcher,
        "#!/bin/sh\nexec '"
            + Path.of(System.getProperty("java.home"), "bin", "java")
            + "' -XX:+UseSerialGC -XX:TieredStopAtLevel=1 --enable-native-access=ALL-UNNAMED"
            + " -Dstrata.home='"
            + dist
            + "' -cp '"
            + dist.resolve("lib")
            + "/*' io.strata.cli.Main \"$@\"\n");
    launcher.toFile().setExecutable(true);
    return launcher;
  }

  @Test
  @RequiresCgroupV1
  void agentLaunch() throws Exception {
    assertThat(run(List.of(), "io.strata.benchmarks.agent.AgentLaunchLatency", "5", "0", "1"))
        .contains("p50");
  }

  @Test
  @RequiresCgroupV1
  void agentMemory() throws Exception {
    assertThat(run(List.of(), "io.strata.benchmarks.agent.AgentMemory", "2", "1", "off", ""))
        .contains("MiB");
  }

  /** Runs {@code main} in a new JVM on this test's classpath; its output if it exited 0. */
  private static String run(List<String> jvmFlags, String main, String... args) throws Exception {
    Ended ended = start(jvmFlags, main, args);
    assertThat(ended.status()).as("%s exit status; its output:%n%s", main, ended.output()).isZero();
    return ended.output();
  }

  private static int exitOf(List<String> jvmFlags, String main, String... args) throws Exception {
    return start(jvmFlags, main, args).status();
  }

  private record Ended(int status, String output) {}

  private static Ended start(List<String> jvmFlags, String main, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmFlags);
    command.add("-Dlogback.configurationFile=strata-benchmarks-logback.xml");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main);
    command.addAll(List.of(args));
    Path log = Files.createTempFile("strata-bench-smoke-", ".log");
    try {
      Process p =
          new ProcessBuilder(command)
              .directory(ROOT.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      p.getOutputStream().close();
      boolean ended = p.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS);
      if (!ended) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly().waitFor();
      }
      String out = Files.readString(log, StandardCharsets.UTF_8);
      assertThat(ended)
          .as("%s ended within %d s; its output:%n%s", main, LIMIT_SECONDS, out)
          .isTrue();
      return new Ended(p.exitValue(), out);
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
