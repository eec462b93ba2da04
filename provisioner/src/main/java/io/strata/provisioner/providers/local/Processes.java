package io.strata.provisioner.providers.local;

import io.strata.provisioner.providers.local.ClusterState.ProcessRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Starting, recognising and stopping the processes of a local cluster. Processes are started in
 * their own session ({@code setsid}) so they outlive the command that started them and are not hit
 * by a terminal's Ctrl-C; their output goes to a log file.
 */
final class Processes {
  private static final Path SETSID = Path.of("/usr/bin/setsid");
  private static final Path PROC = Path.of("/proc");

  private Processes() {}

  static ProcessRecord start(List<String> command, Map<String, String> env, Path log)
      throws IOException {
    Files.createDirectories(log.toAbsolutePath().getParent());
    List<String> argv = new ArrayList<>();
    if (Files.isExecutable(SETSID)) {
      argv.add(SETSID.toString());
    }
    argv.addAll(command);
    ProcessBuilder pb = new ProcessBuilder(argv);
    pb.environment().putAll(env);
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process p = pb.start();
    Instant started = p.info().startInstant().orElse(Instant.now());
    return new ProcessRecord(
        p.pid(), started, log.toString(), List.copyOf(command), startTicks(p.pid()).orElse(null));
  }

  /**
   * The process is still the one we started: same pid and, exactly, the same start time in clock
   * ticks (a pid the kernel gave to another process since fails this).
   */
  static boolean alive(ProcessRecord r) {
    if (r == null || !running(r.pid())) {
      return false;
    }
    if (r.startTicks() != null) {
      return startTicks(r.pid()).map(t -> t.equals(r.startTicks())).orElse(false);
    }
    Optional<ProcessHandle> h = ProcessHandle.of(r.pid());
    if (h.isEmpty()) {
      return false;
    }
    Optional<Instant> started = h.get().info().startInstant();
    // Start times are reported with clock-tick precision; allow a little slack.
    return started.isEmpty()
        || Duration.between(started.get(), r.startedAt()).abs().compareTo(Duration.ofSeconds(2))
            < 0;
  }

  /**
   * The process exists and is not a zombie (a killed process whose parent has not reaped it yet
   * holds nothing but its pid).
   */
  static boolean running(long pid) {
    try {
      String stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"));
      int end = stat.lastIndexOf(')');
      return end > 0
          && end + 2 < stat.length()
          && stat.charAt(end + 2) != 'Z'
          && stat.charAt(end + 2) != 'X';
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * When the process started, in clock ticks since boot: field 22 of {@code /proc/PID/stat}
   * (counted after the command name, which may hold spaces and parentheses). Empty if it is gone.
   */
  static Optional<Long> startTicks(long pid) {
    try {
      return parseStartTicks(Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat")));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  static Optional<Long> parseStartTicks(String stat) {
    int end = stat.lastIndexOf(')');
    if (end < 0) {
      return Optional.empty();
    }
    // After ") " come field 3 (state) onwards; field 22 is the 20th of them.
    String[] rest = stat.substring(end + 1).trim().split("\\s+");
    if (rest.length < 20) {
      return Optional.empty();
    }
    try {
      return Optional.of(Long.parseLong(rest[19]));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** SIGTERM, then SIGKILL after {@code grace}; returns once the process is gone. */
  static void stop(ProcessRecord r, Duration grace) {
    if (!alive(r)) {
      return;
    }
    ProcessHandle h = ProcessHandle.of(r.pid()).orElseThrow();
    h.destroy();
    try {
      h.onExit().get(grace.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      h.destroyForcibly();
      h.onExit().join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      h.destroyForcibly();
    } catch (java.util.concurrent.ExecutionException e) {
      h.destroyForcibly();
    }
  }
}
