package io.strata.agent.linux.cgroups;

import io.strata.agent.containerizer.ResourceUsage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads what the kernel counts for a task's cgroups: CPU time, memory (current, peak, limit), CFS
 * throttling, process count, and OOM kills. Each reading is a handful of small file reads.
 */
public final class CgroupStats {
  private static final long UNLIMITED_V1 = Long.MAX_VALUE / 4096 * 4096;

  private CgroupStats() {}

  /** What memory looked like when a task ended. */
  public record MemoryVerdict(long oomKills, Long limitBytes, Long peakBytes) {}

  public static ResourceUsage usage(TaskCgroups cg, Instant now) throws IOException {
    boolean v2 = cg.mode() == CgroupLayout.Mode.V2;
    long cpuNanos = 0;
    Long periods = null;
    Long throttled = null;
    Long throttledNanos = null;
    if (cg.cpuAccounting().isPresent()) {
      Path dir = cg.cpuAccounting().get();
      if (v2) {
        Map<String, Long> stat = keyed(dir.resolve("cpu.stat"));
        cpuNanos = stat.getOrDefault("usage_usec", 0L) * 1000;
      } else {
        cpuNanos = number(dir.resolve("cpuacct.usage")).orElse(0L);
      }
    }
    if (cg.cpu().isPresent()) {
      Map<String, Long> stat = keyed(cg.cpu().get().resolve("cpu.stat"));
      periods = stat.get("nr_periods");
      throttled = stat.get("nr_throttled");
      throttledNanos =
          v2
              ? (stat.containsKey("throttled_usec") ? stat.get("throttled_usec") * 1000 : null)
              : stat.get("throttled_time");
    }
    long memory = 0;
    Long peak = null;
    Long limit = null;
    if (cg.memory().isPresent()) {
      Path dir = cg.memory().get();
      if (v2) {
        memory = number(dir.resolve("memory.current")).orElse(0L);
        peak = number(dir.resolve("memory.peak")).orElse(null);
        limit = number(dir.resolve("memory.max")).orElse(null);
      } else {
        memory = number(dir.resolve("memory.usage_in_bytes")).orElse(0L);
        peak = number(dir.resolve("memory.max_usage_in_bytes")).orElse(null);
        limit = number(dir.resolve("memory.limit_in_bytes")).orElse(null);
        if (limit != null && limit >= UNLIMITED_V1) {
          limit = null;
        }
      }
    }
    Long processes = cg.pids().flatMap(p -> number(p.resolve("pids.current"))).orElse(null);
    if (processes == null) {
      processes = (long) processes(cg.trackingProcs()).size();
    }
    return new ResourceUsage(
        now, cpuNanos, memory, peak, limit, periods, throttled, throttledNanos, processes);
  }

  /**
   * How many processes the kernel OOM-killed in the task's memory cgroup, with its limit and peak
   * (v1: {@code memory.oom_control} oom_kill, {@code memory.max_usage_in_bytes}; v2: {@code
   * memory.events} oom_kill, {@code memory.peak}). Read before the cgroup is removed.
   */
  public static MemoryVerdict memoryVerdict(TaskCgroups cg) throws IOException {
    if (cg.memory().isEmpty()) {
      return new MemoryVerdict(0, null, null);
    }
    Path dir = cg.memory().get();
    if (cg.mode() == CgroupLayout.Mode.V2) {
      Map<String, Long> events = keyed(dir.resolve("memory.events"));
      return new MemoryVerdict(
          events.getOrDefault("oom_kill", 0L),
          number(dir.resolve("memory.max")).orElse(null),
          number(dir.resolve("memory.peak")).orElse(null));
    }
    Map<String, Long> control = keyed(dir.resolve("memory.oom_control"));
    long oomKills = control.getOrDefault("oom_kill", 0L);
    if (!control.containsKey("oom_kill")) {
      // Kernels before 4.13 have no oom_kill counter: hitting the limit (failcnt) is the sign.
      oomKills = number(dir.resolve("memory.failcnt")).orElse(0L) > 0 ? 1 : 0;
    }
    Long limit = number(dir.resolve("memory.limit_in_bytes")).orElse(null);
    return new MemoryVerdict(
        oomKills,
        limit != null && limit >= UNLIMITED_V1 ? null : limit,
        number(dir.resolve("memory.max_usage_in_bytes")).orElse(null));
  }

  /** Reads a file of one number; "max" and a missing file are empty. */
  static Optional<Long> number(Path file) {
    try {
      String text = Files.readString(file).trim();
      if (text.isEmpty() || text.equals("max")) {
        return Optional.empty();
      }
      return Optional.of(Long.parseLong(text));
    } catch (IOException | NumberFormatException e) {
      // Absent (an older kernel, a cgroup being torn down reads as ENOENT/ENODEV): not counted.
      return Optional.empty();
    }
  }

  /** Reads a "key value" per line file (cpu.stat, memory.events, memory.oom_control). */
  static Map<String, Long> keyed(Path file) throws IOException {
    Map<String, Long> out = new HashMap<>();
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      return out;
    }
    for (String line : text.split("\n")) {
      String[] kv = line.trim().split("\\s+");
      if (kv.length == 2) {
        try {
          out.put(kv[0], Long.parseLong(kv[1]));
        } catch (NumberFormatException e) {
          // Not a counter (e.g. a "max" value): not what callers look for.
        }
      }
    }
    return out;
  }

  /**
   * The pids listed in a cgroup.procs file; empty if the cgroup does not exist. Never the agent's
   * own pid: v1 lists a process as soon as one of its threads is in the cgroup, and the agent's
   * spawning thread visits task cgroups for an instant (see CgroupIsolator.Spawn).
   */
  public static List<Long> processes(Path procs) throws IOException {
    List<Long> pids = new ArrayList<>();
    String text;
    try {
      text = Files.readString(procs, StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      return pids;
    } catch (IOException e) {
      if (!Files.exists(procs.getParent()) || "No such device".equals(e.getMessage())) {
        // The cgroup was removed while we read it (ENODEV): it has no process.
        return pids;
      }
      throw e;
    }
    long self = ProcessHandle.current().pid();
    for (String line : text.split("\n")) {
      if (!line.isBlank()) {
        long pid = Long.parseLong(line.trim());
        if (pid != self) {
          pids.add(pid);
        }
      }
    }
    return pids;
  }
}
