package io.strata.agent.linux.exec;

import io.strata.agent.linux.jna.Posix;
import io.strata.agent.linux.jna.ProcStat;
import io.strata.agent.linux.plan.CgroupIsolator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Starts a task under its supervisor ({@code supervisor.sh}): spawned with posix_spawn in a new
 * session (so it survives the agent and no terminal signal reaches it), with every descriptor of
 * the agent closed, a pipe on descriptor 3 on which the task's first process says "ready" once it
 * is in all its cgroups — just before it execs the command — and one on descriptor 4 that the agent
 * closes once its spawning thread is back in its own cgroups.
 *
 * <p>Why the supervisor waits for that: its subshell moves whole processes between cgroups
 * (cgroup.procs), and each such move holds the kernel's global cgroup lock through an RCU grace
 * period (milliseconds on a busy machine). When the spawning thread was slow to get the CPU back
 * after the spawn, its own moves home queued behind those: measured, the p90 of a launch went from
 * ~5 to ~13 ms. The spawning thread's own moves ({@code 0} to {@code tasks}) take no such lock.
 */
final class Supervisor {
  private static final Path SH = Path.of("/bin/sh");
  private static final Path DEV_NULL = Path.of("/dev/null");
  private static final int READY_TIMEOUT_MILLIS = 30_000;

  private final Path script;
  private final ExecutorService spawner;
  private final List<Home> homes;
  private volatile boolean brokenSpawner;

  /**
   * The spawning thread's own cgroup in one v1 hierarchy, its {@code tasks} file open for the way
   * back: opened once, so a launch spends an open(2) less per hierarchy there, and the spawning
   * thread less time in the task's cgroups (where it shares the task's CPU share with its newborn).
   */
  private record Home(Path hierarchy, FileChannel tasks) {
    void enter() throws IOException {
      tasks.write(ByteBuffer.wrap(CURRENT_THREAD.getBytes(StandardCharsets.US_ASCII)), 0);
    }
  }

  private Supervisor(Path script, ExecutorService spawner, List<Home> homes) {
    this.script = script;
    this.spawner = spawner;
    this.homes = homes;
  }

  /** Whether spawning born-in-cgroups still works (false after the spawner got stuck in one). */
  boolean canSpawnInside() {
    return !brokenSpawner;
  }

  void close() {
    spawner.shutdown();
    closeAll(homes);
  }

  private static void closeAll(List<Home> homes) {
    for (Home h : homes) {
      try {
        h.tasks().close();
      } catch (IOException e) {
        // Closing a cgroup file cannot lose anything: nothing was buffered.
      }
    }
  }

  /**
   * Installs the script in {@code dir} (atomically: running supervisors keep their copy) and starts
   * the spawning thread, noting its own cgroup in each of {@code hierarchies} to return to.
   */
  static Supervisor install(Path dir, List<Path> hierarchies) throws IOException {
    // The agent's: exit files, environments (secrets included). No task may read them.
    io.strata.agent.state.StateFiles.privateDirectory(dir);
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
    ExecutorService spawner =
        Executors.newSingleThreadExecutor(
            Thread.ofPlatform().daemon().name("strata-spawner").factory());
    Map<Path, Path> dirs;
    try {
      dirs = spawner.submit(() -> homes(hierarchies)).get();
    } catch (ExecutionException e) {
      spawner.shutdown();
      throw new IOException(
          "cannot read the spawning thread's cgroups: " + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      spawner.shutdown();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    List<Home> homes = new ArrayList<>();
    try {
      for (Map.Entry<Path, Path> e : dirs.entrySet()) {
        homes.add(
            new Home(
                e.getKey(),
                FileChannel.open(e.getValue().resolve("tasks"), StandardOpenOption.WRITE)));
      }
    } catch (IOException e) {
      spawner.shutdown();
      closeAll(homes);
      throw new IOException("cannot open the spawning thread's cgroups: " + e.getMessage(), e);
    }
    Supervisor supervisor = new Supervisor(script, spawner, List.copyOf(homes));
    // Without its home in every hierarchy, the spawning thread could not come back: never use it.
    supervisor.brokenSpawner = homes.size() != hierarchies.size();
    return supervisor;
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
   * Starts {@code command} under a supervisor, as {@code spawn} says, and returns once its first
   * process is in all its cgroups: at once when it is born in them (v1), else when it says so.
   *
   * @throws NotReady if it could not join its cgroups or died first
   */
  Started start(
      CgroupIsolator.Spawn spawn,
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
    argv.add(Integer.toString(spawn.joins().size()));
    spawn.joins().forEach(p -> argv.add(p.toString()));
    argv.add(Integer.toString(spawn.leaves().size()));
    spawn.leaves().forEach(p -> argv.add(p.toString()));
    argv.addAll(command);
    int[] pipe = Posix.pipe();
    int[] go;
    try {
      go = Posix.pipe();
    } catch (IOException | RuntimeException e) {
      Posix.close(pipe[0]);
      Posix.close(pipe[1]);
      throw e;
    }
    long pid;
    try {
      Posix.SpawnRequest request =
          new Posix.SpawnRequest(
              SH.toString(),
              argv,
              environment,
              DEV_NULL,
              DEV_NULL,
              stderr,
              List.of(pipe[1], go[0]),
              true);
      pid =
          spawn.bornIn().isEmpty()
              ? Posix.spawnIn(sandbox, request)
              : spawnInside(spawn.bornIn(), sandbox, request);
    } catch (IOException | RuntimeException e) {
      Posix.close(pipe[0]);
      throw e;
    } finally {
      Posix.close(pipe[1]);
      Posix.close(go[0]);
      // The spawning thread is back in its own cgroups: the supervisor may go on (see
      // supervisor.sh; it waits for this end of the pipe to close).
      Posix.close(go[1]);
    }
    long startTime = ProcStat.of(pid).map(ProcStat::startTime).orElse(0L);
    if (!spawn.awaitReady()) {
      // Born in its cgroups: nothing to wait for. The child's "ready" meets a closed pipe, which
      // it ignores.
      Posix.close(pipe[0]);
      return new Started(pid, startTime);
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
    return new Started(pid, startTime);
  }

  /**
   * Spawns from a thread that joins {@code cgroups} (v1 {@code tasks} files) for the moment of the
   * spawn, so that the child is born in them. A platform thread calling does it itself; for a
   * virtual thread, which could change carriers between joining and spawning, the spawner thread
   * does.
   */
  private long spawnInside(List<Path> cgroups, Path sandbox, Posix.SpawnRequest request)
      throws IOException {
    if (!Thread.currentThread().isVirtual()) {
      // A platform thread stays on its OS thread: it can do it itself, sparing a hand-off.
      return spawner(cgroups, sandbox, request);
    }
    try {
      return spawner.submit(() -> spawner(cgroups, sandbox, request)).get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IOException(e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while spawning", e);
    }
  }

  private long spawner(List<Path> cgroups, Path sandbox, Posix.SpawnRequest request)
      throws IOException {
    List<Home> back = new ArrayList<>();
    try {
      for (Path dir : cgroups) {
        Home home = homeOf(dir);
        write(dir.resolve("tasks"), CURRENT_THREAD);
        back.add(home);
      }
      return Posix.spawnIn(sandbox, request);
    } finally {
      IOException failed = null;
      for (Home home : back) {
        try {
          home.enter();
        } catch (IOException e) {
          failed = e;
        }
      }
      if (failed != null) {
        // This thread would stay in a task's cgroups, and be frozen or killed with it: never
        // again spawn from it.
        brokenSpawner = true;
        throw new IOException(
            "the spawning thread cannot leave a task's cgroups: " + failed.getMessage(), failed);
      }
    }
  }

  /** The spawning thread's own cgroup in the hierarchy that holds {@code dir}. */
  private Home homeOf(Path dir) {
    for (Home h : homes) {
      if (dir.startsWith(h.hierarchy())) {
        return h;
      }
    }
    throw new IllegalStateException("no home cgroup for " + dir);
  }

  /**
   * What to write to a v1 {@code tasks} file to move the writing thread: "0" rather than its tid,
   * which spares the kernel its global thread-group lock (and an RCU grace period, milliseconds on
   * a busy machine) since only the writer itself moves.
   */
  private static final String CURRENT_THREAD = "0";

  private static void write(Path file, String value) throws IOException {
    Files.write(file, value.getBytes(StandardCharsets.US_ASCII), StandardOpenOption.WRITE);
  }

  /**
   * Where the calling thread is in each v1 hierarchy ({@code /proc/thread-self/cgroup}): the
   * agent's own cgroups, shared by all its threads (none stays anywhere else).
   */
  private static Map<Path, Path> homes(List<Path> hierarchies) throws IOException {
    Map<Path, Path> homes = new java.util.LinkedHashMap<>();
    List<String> lines = Files.readAllLines(Path.of("/proc/thread-self/cgroup"));
    for (Path hierarchy : hierarchies) {
      String name = hierarchy.getFileName().toString();
      for (String line : lines) {
        String[] f = line.split(":", 3);
        if (f.length == 3
            && !f[1].isEmpty()
            && java.util.Arrays.asList(f[1].split(","))
                .containsAll(java.util.Arrays.asList(name.split(",")))) {
          homes.put(hierarchy, hierarchy.resolve(f[2].substring(1)));
        }
      }
    }
    return homes;
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
