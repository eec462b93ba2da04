package io.strata.agent.linux.exec;

import io.strata.agent.linux.cgroups.CgroupStats;
import io.strata.agent.linux.jna.Posix;
import io.strata.agent.linux.plan.HostOp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
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
        for (long pid : CgroupStats.processes(s.procs())) {
          Posix.signal(pid, s.signal());
        }
      }
      case HostOp.AwaitContent a -> awaitContent(a.file(), a.value());
      case HostOp.AwaitEmpty a -> awaitEmpty(a.procs(), a.killStragglers());
      case HostOp.RemoveDirectory r -> remove(r.dir());
      case HostOp.ReclaimMemory m -> reclaim(m);
    }
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
      List<Long> left = CgroupStats.processes(procs);
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
