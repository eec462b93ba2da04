package io.strata.agent.linux.cgroups;

import io.strata.agent.linux.libc.Posix;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Performs {@link HostOp}s: the thin mechanism under the isolation policy. Each operation is one
 * system call or a short wait; nothing here decides anything.
 */
public final class HostOpExecutor {
  private final Duration patience;

  /**
   * @param patience how long an await waits before giving up with an exception
   */
  public HostOpExecutor(Duration patience) {
    this.patience = patience;
  }

  public void perform(List<HostOp> ops) throws IOException {
    for (HostOp op : ops) {
      perform(op);
    }
  }

  public void perform(HostOp op) throws IOException {
    switch (op) {
      case HostOp.MakeDirectory m -> {
        try {
          Files.createDirectory(m.dir());
        } catch (FileAlreadyExistsException e) {
          // Idempotent: the cgroup is already there.
        }
      }
      case HostOp.WriteFile w -> write(w.file(), w.value());
      case HostOp.SignalProcesses s -> {
        for (long pid : processes(s.procs())) {
          Posix.signal(pid, s.signal());
        }
      }
      case HostOp.AwaitContent a -> awaitContent(a.file(), a.value());
      case HostOp.AwaitEmpty a -> awaitEmpty(a.procs(), a.killStragglers());
      case HostOp.RemoveDirectory r -> remove(r.dir());
      case HostOp.ReclaimMemory m -> reclaim(m);
    }
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

  private static void write(Path file, String value) throws IOException {
    // One write(2) per value: cgroup files act on each write, and do not take appends or partial
    // writes.
    try {
      Files.write(
          file,
          value.getBytes(StandardCharsets.US_ASCII),
          StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING);
    } catch (FileSystemException e) {
      throw new IOException("cannot write '" + value + "' to " + file + ": " + e.getMessage(), e);
    }
  }

  private void awaitContent(Path file, String value) throws IOException {
    long deadline = System.nanoTime() + patience.toNanos();
    while (!Files.readString(file).trim().equals(value)) {
      if (System.nanoTime() > deadline) {
        throw new IOException(file + " did not become " + value + " within " + patience);
      }
      pause(1);
    }
  }

  private void awaitEmpty(Path procs, boolean killStragglers) throws IOException {
    long deadline = System.nanoTime() + patience.toNanos();
    long pauseMillis = 1;
    while (true) {
      List<Long> left = processes(procs);
      if (left.isEmpty()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IOException(
            procs.getParent() + " still has processes " + left + " after " + patience);
      }
      if (killStragglers) {
        for (long pid : left) {
          Posix.signal(pid, 9);
        }
      }
      pause(pauseMillis);
      pauseMillis = Math.min(50, pauseMillis * 2);
    }
  }

  private static void reclaim(HostOp.ReclaimMemory m) {
    try {
      if (m.v2()) {
        String usage = Files.readString(m.dir().resolve("memory.current")).trim();
        if (!usage.equals("0")) {
          write(m.dir().resolve("memory.reclaim"), usage);
        }
      } else {
        write(m.dir().resolve("memory.force_empty"), "0");
      }
    } catch (IOException e) {
      // Best effort: the kernel reclaims what is left under memory pressure anyway (EAGAIN when
      // not everything could be reclaimed, ENOENT when the cgroup is already gone).
    }
  }

  private void remove(Path dir) throws IOException {
    long deadline = System.nanoTime() + patience.toNanos();
    while (true) {
      try {
        Files.deleteIfExists(dir);
        return;
      } catch (DirectoryNotEmptyException e) {
        throw new IOException("cannot remove cgroup " + dir + ": it has child cgroups", e);
      } catch (FileSystemException e) {
        // EBUSY: the last processes are still being torn down by the kernel.
        if (System.nanoTime() > deadline) {
          throw new IOException("cannot remove cgroup " + dir + ": " + e.getMessage(), e);
        }
        pause(5);
      }
    }
  }

  private static void pause(long millis) throws IOException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
