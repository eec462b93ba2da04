package io.strata.benchmarks.agent;

import io.strata.api.AgentId;
import io.strata.api.FrameworkId;
import io.strata.api.FrameworkInfo;
import io.strata.api.Resources;
import io.strata.api.TaskId;
import io.strata.api.TaskInfo;
import io.strata.api.TaskState;
import io.strata.api.agent.AgentMessage;
import io.strata.benchmarks.Harness;
import io.strata.fakes.allocator.FakeAllocator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The Linux agent's resident memory, as its own JVM under candidate flag sets: idle (registered,
 * streaming, heartbeating) and with 100 running tasks; plus the memory of the 100 per-task
 * supervisors (outside the agent). Talks to a fake allocator on 127.0.0.1.
 *
 * <p>Usage: {@code AgentMemory [tasks=100] [settleSeconds=10] [docker=off|auto] [extra flags...]};
 * each extra argument is a flag set added to the agent's flags ({@code NAME=value} sets its
 * environment). With {@code -Dstrata.agent.launcher=bin/strata}, the agent is started by that
 * script instead ({@code bin/strata agent --config ...}, its flags and classpath), once; with
 * {@code -Dstrata.agent.launcher.flags=true} given flags instead of a config file, as {@code strata
 * up} starts its agents.
 */
public final class AgentMemory {
  static final FrameworkId FW = FrameworkId.of("bench-mem");
  static final FrameworkInfo FRAMEWORK =
      new FrameworkInfo(FW, "bench", null, Set.of("bench"), null, null, null);

  /** The flags the agent is started with; see agent-linux's README for why each. */
  public static final List<String> AGENT_FLAGS = io.strata.agent.linux.LinuxAgentMain.JVM_FLAGS;

  record FlagSet(String name, List<String> flags) {}

  public static void main(String[] args) {
    Harness.run("agent-memory", () -> runWith(args));
  }

  private static void runWith(String[] args) throws Exception {
    int tasks = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    int settle = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    String docker = args.length > 2 ? args[2] : "off";
    List<FlagSet> sets = new ArrayList<>();
    for (int i = 3; i < args.length; i++) {
      List<String> extra = new ArrayList<>(AGENT_FLAGS);
      if (args[i].isBlank()) {
        sets.add(new FlagSet("agent flags", extra));
        continue;
      }
      extra.addAll(List.of(args[i].trim().split(" +")));
      sets.add(new FlagSet("agent flags + " + args[i], extra));
    }
    sets.addAll(
        List.of(
            new FlagSet("JDK defaults (G1, heap 1/4 of RAM, C2)", List.of()),
            new FlagSet(
                "-XX:+UseSerialGC -Xmx64m -XX:TieredStopAtLevel=1",
                List.of("-XX:+UseSerialGC", "-Xmx64m", "-XX:TieredStopAtLevel=1")),
            new FlagSet("agent flags (AGENT_FLAGS)", AGENT_FLAGS)));
    if (args.length > 3) {
      sets = sets.subList(0, args.length - 3);
    }
    if (System.getProperty("strata.agent.launcher") != null) {
      sets =
          List.of(
              new FlagSet(
                  System.getProperty("strata.agent.launcher")
                      + (Boolean.getBoolean("strata.agent.launcher.flags")
                          ? " agent --allocator ... (flags)"
                          : " agent --config ..."),
                  List.of()));
    }
    System.out.println(
        "| flags | idle RSS MiB | idle anon MiB | "
            + tasks
            + " tasks RSS MiB | "
            + tasks
            + " tasks anon MiB | supervisors PSS MiB (sum) |");
    System.out.println("| --- | ---: | ---: | ---: | ---: | ---: |");
    for (FlagSet set : sets) {
      System.out.println(measure(set, tasks, settle, docker));
    }
  }

  static String measure(FlagSet set, int tasks, int settle, String docker) throws Exception {
    try (FakeAllocator allocator = new FakeAllocator("mem-token", 1000).start()) {
      Path work = Files.createTempDirectory("strata-mem-");
      Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
      String parent = "strata-mem-" + UUID.randomUUID().toString().substring(0, 8);
      Path config = work.resolve("agent.yaml");
      Files.writeString(
          config,
          """
          agent:
            workDir: %s
            allocator: %s
            joinToken: mem-token
            listen: 127.0.0.1:0
            reserved: "cpus:0;mem:0"
          linux:
            cgroupParent: %s
          docker:
            mode: "%s"
          """
              .formatted(work.resolve("agent"), allocator.uri(), parent, docker));
      List<String> cmd = new ArrayList<>();
      cmd.add(ProcessHandle.current().info().command().orElse("java"));
      Map<String, String> env = new java.util.HashMap<>();
      for (String flag : set.flags()) {
        // NAME=value sets the agent's environment (MALLOC_ARENA_MAX=2), as bin/strata does.
        if (flag.matches("[A-Z_]+=.*")) {
          env.put(flag.substring(0, flag.indexOf('=')), flag.substring(flag.indexOf('=') + 1));
        } else {
          cmd.add(flag);
        }
      }
      cmd.addAll(
          List.of(
              "-cp",
              System.getProperty("strata.agent.classpath", System.getProperty("java.class.path")),
              "io.strata.agent.linux.LinuxAgentMain",
              "--config",
              config.toString()));
      String launcher = System.getProperty("strata.agent.launcher");
      if (launcher != null) {
        // As an operator starts it (bin/strata agent): that script's flags and classpath.
        cmd = new ArrayList<>(List.of(launcher, "agent", "--config", config.toString()));
        if (Boolean.getBoolean("strata.agent.launcher.flags")) {
          // As strata up starts its agents: flags, not a config file.
          Path token = Files.writeString(work.resolve("join.token"), "mem-token");
          cmd =
              new ArrayList<>(
                  List.of(
                      launcher,
                      "agent",
                      "--allocator",
                      allocator.uri().toString(),
                      "--join-token-file",
                      token.toString(),
                      "--work-dir",
                      work.resolve("agent").toString(),
                      "--listen",
                      "127.0.0.1:0",
                      "--reserved",
                      "cpus:0;mem:0",
                      "--cgroup-parent",
                      parent,
                      "--docker",
                      docker));
        }
      }
      ProcessBuilder builder = new ProcessBuilder(cmd);
      builder.environment().putAll(env);
      Process agent =
          builder
              .redirectErrorStream(true)
              .redirectOutput(work.resolve("agent.log").toFile())
              .start();
      try {
        AgentId id = AgentId.of("agent-1");
        waitFor(() -> allocator.hasStream(id), 60);
        Thread.sleep(settle * 1000L);
        long[] idle = rss(agent.pid());
        long[] busy = idle;
        long supervisors = 0;
        if (tasks > 0) {
          for (int i = 0; i < tasks; i++) {
            allocator.send(
                id,
                new AgentMessage.RunTask(
                    FW,
                    FRAMEWORK,
                    TaskInfo.command(
                        TaskId.of("m" + i), "exec sleep 100000", Resources.of(10, 8L << 20))));
          }
          waitFor(
              () ->
                  allocator.statuses().stream().filter(s -> s.state() == TaskState.RUNNING).count()
                      >= tasks,
              300);
          Thread.sleep(settle * 1000L);
          busy = rss(agent.pid());
          supervisors = childrenRss(agent.pid());
        }
        allocator.send(id, new AgentMessage.Shutdown("benchmark over"));
        waitFor(() -> !agent.isAlive(), 120);
        return String.format(
            Locale.ROOT,
            "| %s | %.1f | %.1f | %s | %s | %s |",
            set.name(),
            idle[0] / 1024.0,
            idle[1] / 1024.0,
            tasks > 0 ? String.format(Locale.ROOT, "%.1f", busy[0] / 1024.0) : "-",
            tasks > 0 ? String.format(Locale.ROOT, "%.1f", busy[1] / 1024.0) : "-",
            tasks > 0 ? String.format(Locale.ROOT, "%.1f", supervisors / 1024.0) : "-");
      } finally {
        agent.destroyForcibly().waitFor();
        for (String h : List.of("cpu", "cpuacct", "memory", "pids", "freezer", "unified")) {
          Files.deleteIfExists(Path.of("/sys/fs/cgroup", h, parent));
        }
        try (Stream<Path> files = Files.walk(work)) {
          for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
            Files.deleteIfExists(p);
          }
        }
      }
    }
  }

  /** VmRSS and RssAnon in KiB. */
  static long[] rss(long pid) throws IOException {
    long rss = 0;
    long anon = 0;
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith("VmRSS:")) {
        rss = kib(line);
      } else if (line.startsWith("RssAnon:")) {
        anon = kib(line);
      }
    }
    return new long[] {rss, anon};
  }

  static long childrenRss(long parent) throws IOException {
    long sum = 0;
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : procs.toList()) {
        if (!p.getFileName().toString().chars().allMatch(Character::isDigit)) {
          continue;
        }
        try {
          List<String> status = Files.readAllLines(p.resolve("status"));
          boolean child = status.stream().anyMatch(l -> l.startsWith("PPid:") && kib(l) == parent);
          if (child) {
            // PSS: each supervisor's share of the pages it shares with the others (the shell).
            sum +=
                Files.readAllLines(p.resolve("smaps_rollup")).stream()
                    .filter(l -> l.startsWith("Pss:"))
                    .mapToLong(AgentMemory::kib)
                    .sum();
          }
        } catch (IOException e) {
          // gone meanwhile
        }
      }
    }
    return sum;
  }

  static long kib(String line) {
    return Long.parseLong(line.replaceAll("[^0-9]", ""));
  }

  interface Condition {
    boolean holds() throws Exception;
  }

  static void waitFor(Condition c, int seconds) throws Exception {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (!c.holds()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out after " + seconds + " s");
      }
      Thread.sleep(20);
    }
  }
}
