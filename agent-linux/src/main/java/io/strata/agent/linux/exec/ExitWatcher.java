package io.strata.agent.linux.exec;

import io.strata.agent.linux.jna.Posix;
import io.strata.agent.linux.jna.ProcStat;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Tells when processes exit, whether or not they are our children: one thread polls a pidfd per
 * process (Linux 5.3+) plus an eventfd that wakes it when the set changes. Children are reaped once
 * they exit. On older kernels it falls back to looking at {@code /proc} every 200 ms.
 */
public final class ExitWatcher implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(ExitWatcher.class.getName());
  private static final int FALLBACK_POLL_MILLIS = 200;

  private record Watch(long pid, long startTime, CompletableFuture<Void> exited) {}

  private final Executor callbacks;
  private final int wakeFd;
  private final Map<Integer, Watch> byFd = new HashMap<>();
  private final List<Watch> fallback = new ArrayList<>();
  private final Thread thread;
  private volatile boolean closed;

  public ExitWatcher(Executor callbacks) throws IOException {
    this.callbacks = callbacks;
    this.wakeFd = Posix.eventFd();
    this.thread = Thread.ofPlatform().daemon().name("strata-exit-watcher").start(this::run);
  }

  /**
   * Completes (on the callback executor) once process {@code pid}, started at {@code startTime},
   * has exited; at once if it is already gone or the pid now belongs to another process.
   */
  public CompletableFuture<Void> onExit(long pid, long startTime) throws IOException {
    CompletableFuture<Void> exited = new CompletableFuture<>();
    Watch watch = new Watch(pid, startTime, exited);
    Optional<Integer> fd;
    try {
      fd = Posix.pidFd(pid);
    } catch (UnsupportedOperationException e) {
      synchronized (this) {
        fallback.add(watch);
      }
      Posix.signalEventFd(wakeFd);
      return exited;
    }
    if (fd.isEmpty() || !ProcStat.isSameRunningProcess(pid, startTime)) {
      fd.ifPresent(Posix::close);
      Posix.reap(pid);
      callbacks.execute(() -> exited.complete(null));
      return exited;
    }
    synchronized (this) {
      byFd.put(fd.get(), watch);
    }
    Posix.signalEventFd(wakeFd);
    return exited;
  }

  private void run() {
    while (!closed) {
      int[] fds;
      List<Watch> watches;
      boolean polling;
      synchronized (this) {
        fds = new int[byFd.size() + 1];
        watches = new ArrayList<>();
        fds[0] = wakeFd;
        watches.add(null);
        int i = 1;
        for (Map.Entry<Integer, Watch> e : byFd.entrySet()) {
          fds[i++] = e.getKey();
          watches.add(e.getValue());
        }
        polling = !fallback.isEmpty();
      }
      List<Integer> ready;
      try {
        ready = Posix.pollReadable(fds, polling ? FALLBACK_POLL_MILLIS : -1);
      } catch (IOException e) {
        LOG.log(
            System.Logger.Level.ERROR,
            "exit watcher cannot poll; process exits will go unnoticed",
            e);
        return;
      }
      for (int index : ready) {
        if (index == 0) {
          Posix.drainEventFd(wakeFd);
          continue;
        }
        Watch w;
        synchronized (this) {
          w = byFd.remove(fds[index]);
        }
        Posix.close(fds[index]);
        if (w != null) {
          exited(w);
        }
      }
      if (polling) {
        List<Watch> gone = new ArrayList<>();
        synchronized (this) {
          fallback.removeIf(
              w -> {
                boolean over = !ProcStat.isSameRunningProcess(w.pid(), w.startTime());
                if (over) {
                  gone.add(w);
                }
                return over;
              });
        }
        gone.forEach(this::exited);
      }
    }
  }

  private void exited(Watch w) {
    Posix.reap(w.pid());
    callbacks.execute(() -> w.exited().complete(null));
  }

  @Override
  public void close() {
    closed = true;
    try {
      Posix.signalEventFd(wakeFd);
      thread.join(5_000);
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "cannot wake the exit watcher: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (this) {
      byFd.keySet().forEach(Posix::close);
      byFd.clear();
      fallback.clear();
    }
    Posix.close(wakeFd);
  }
}
