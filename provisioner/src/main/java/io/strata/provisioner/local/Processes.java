package io.strata.provisioner.local;

import io.strata.provisioner.local.ClusterState.ProcessRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

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
    return new ProcessRecord(p.pid(), started, log.toString(), List.copyOf(command));
  }

  /** The process is still the one we started (same pid and start time). */
  static boolean alive(ProcessRecord r) {
    if (r == null || !running(r.pid())) {
      return false;
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

  /**
   * Kills (SIGKILL) every process whose working directory is under {@code dir} or whose command
   * line mentions it — tasks and their supervisors that outlived their agent — until none is left.
   * Returns how many were killed.
   */
  static int killUnder(Path dir) {
    String prefix = dir.toAbsolutePath().normalize().toString();
    long self = ProcessHandle.current().pid();
    int killed = 0;
    for (int round = 0; round < 20; round++) {
      List<ProcessHandle> found = new ArrayList<>();
      try (Stream<Path> entries = Files.list(PROC)) {
        for (Path p : (Iterable<Path>) entries::iterator) {
          String name = p.getFileName().toString();
          if (!name.chars().allMatch(Character::isDigit)) {
            continue;
          }
          long pid = Long.parseLong(name);
          if (pid == self || pid == 1) {
            continue;
          }
          if (mentions(p, prefix)) {
            ProcessHandle.of(pid).ifPresent(found::add);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + PROC, e);
      }
      if (found.isEmpty()) {
        return killed;
      }
      for (ProcessHandle h : found) {
        if (h.destroyForcibly()) {
          killed++;
        }
      }
      for (ProcessHandle h : found) {
        try {
          h.onExit().get(2, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return killed;
        } catch (java.util.concurrent.ExecutionException
            | java.util.concurrent.TimeoutException e) {
          // Looked at again in the next round.
        }
      }
    }
    return killed;
  }

  private static boolean mentions(Path procDir, String prefix) {
    try {
      Path cwd = Files.readSymbolicLink(procDir.resolve("cwd"));
      if (cwd.toString().equals(prefix) || cwd.toString().startsWith(prefix + "/")) {
        return true;
      }
    } catch (IOException | UnsupportedOperationException e) {
      // Gone, a kernel thread, or not ours to read: look at its command line instead.
    }
    try {
      byte[] cmdline = Files.readAllBytes(procDir.resolve("cmdline"));
      String text = new String(cmdline, StandardCharsets.UTF_8).replace('\0', ' ');
      return text.contains(prefix + "/") || text.contains(prefix + " ") || text.endsWith(prefix);
    } catch (IOException e) {
      return false;
    }
  }
}
