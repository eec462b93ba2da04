package io.strata.agent.linux;

import io.strata.agent.linux.libc.Posix;
import io.strata.agent.linux.libc.ProcStat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Starts a task under its supervisor ({@code supervisor.sh}): spawned with posix_spawn in a new
 * session (so it survives the agent and no terminal signal reaches it), with every descriptor of
 * the agent closed, and a pipe on descriptor 3 on which the task's first process says "ready" once
 * it is in all its cgroups — just before it execs the command.
 */
final class Supervisor {
  private static final Path SH = Path.of("/bin/sh");
  private static final Path DEV_NULL = Path.of("/dev/null");
  private static final int READY_TIMEOUT_MILLIS = 30_000;

  private final Path script;

  private Supervisor(Path script) {
    this.script = script;
  }

  /** Installs the script in {@code dir} (atomically: running supervisors keep their copy). */
  static Supervisor install(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path script = dir.resolve("supervisor.sh");
    Path tmp = dir.resolve("supervisor.sh.tmp");
    try (InputStream in = Supervisor.class.getResourceAsStream("supervisor.sh")) {
      if (in == null) {
        throw new IOException("supervisor.sh is missing from the agent's jar");
      }
      Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
    }
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx------"));
    Files.move(tmp, script, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return new Supervisor(script);
  }

  /** A supervisor that runs, and the process start time that identifies it. */
  record Started(long pid, long startTime) {}

  /** Why a task's first process did not get to run its command. */
  static final class NotReady extends IOException {
    private static final long serialVersionUID = 1L;

    NotReady(String message) {
      super(message);
    }
  }

  /**
   * Starts {@code command} under a supervisor and returns once it is in {@code procsFiles}' cgroups
   * and about to exec.
   *
   * @throws NotReady if it could not join its cgroups or died first
   */
  Started start(
      List<Path> procsFiles,
      List<String> command,
      Map<String, String> environment,
      Path sandbox,
      Path stdout,
      Path stderr,
      Path exitFile)
      throws IOException {
    List<String> argv = new ArrayList<>();
    argv.add("strata-supervisor");
    argv.add(script.toString());
    argv.add(exitFile.toString());
    argv.add(stdout.toString());
    argv.add(stderr.toString());
    argv.add(Integer.toString(procsFiles.size()));
    procsFiles.forEach(p -> argv.add(p.toString()));
    argv.addAll(command);
    int[] pipe = Posix.pipe();
    long pid;
    try {
      pid =
          Posix.spawnIn(
              sandbox,
              new Posix.SpawnRequest(
                  SH.toString(), argv, environment, DEV_NULL, DEV_NULL, stderr, pipe[1], true));
    } finally {
      Posix.close(pipe[1]);
    }
    String line;
    try {
      if (Posix.pollReadable(new int[] {pipe[0]}, READY_TIMEOUT_MILLIS).isEmpty()) {
        throw new NotReady(
            "the task's supervisor did not start within " + READY_TIMEOUT_MILLIS + " ms");
      }
      line = Posix.readLine(pipe[0], 4096);
    } finally {
      Posix.close(pipe[0]);
    }
    if (!line.equals("ready")) {
      throw new NotReady(
          line.startsWith("error ")
              ? line.substring(6)
              : "the task's supervisor ended before the task started" + tail(stderr));
    }
    Optional<ProcStat> stat = ProcStat.of(pid);
    return new Started(pid, stat.map(ProcStat::startTime).orElse(0L));
  }

  private static String tail(Path file) {
    try {
      byte[] all = Files.readAllBytes(file);
      int from = Math.max(0, all.length - 512);
      String text = new String(all, from, all.length - from, StandardCharsets.UTF_8).strip();
      return text.isEmpty() ? "" : ": " + text;
    } catch (IOException e) {
      return " (and its stderr is unreadable: " + e.getMessage() + ")";
    }
  }

  /** The status the supervisor recorded, once it has written it completely. */
  static Optional<Integer> exitStatus(Path exitFile) {
    try {
      String text = Files.readString(exitFile, StandardCharsets.US_ASCII);
      if (!text.endsWith("\n")) {
        return Optional.empty();
      }
      return Optional.of(Integer.parseInt(text.trim()));
    } catch (IOException | NumberFormatException e) {
      // Not written (yet), or torn: the supervisor did not record a status.
      return Optional.empty();
    }
  }
}
