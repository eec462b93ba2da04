package io.strata.agent.status;

import io.strata.api.Backoff;
import io.strata.api.FrameworkId;
import io.strata.api.TaskId;
import io.strata.api.TaskStatus;
import io.strata.api.agent.StatusAcks;
import io.strata.api.client.ApiException;
import io.strata.api.json.Codec;
import io.strata.api.json.ValidationException;
import io.strata.host.DurableFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * Status updates on their way to the allocator. Each update is written to disk (fsync) before it is
 * sent and deleted only once the allocator acknowledged it ({@link StatusAcks} naming its uuid: the
 * update is durable there). Everything due goes in one request ({@code POST
 * /v1/agents/{id}/statuses}, at most {@link #MAX_BATCH} updates), one request in flight at a time,
 * so updates that pile up while a request is on its way leave together in the next (group commit,
 * as the allocator's journal does). Updates of one task keep their order within and across
 * requests. A failed send is retried after 1 s, 2 s, 4 s... up to 10 min (per task), or at once
 * when the agent reconnects ({@link #nudge}). The allocator treats a repeated uuid as a duplicate,
 * so resending is harmless. A batch the allocator refuses as invalid (400), or as not this agent's
 * to report (403: a task the allocator holds on another agent), is sent again one update at a time,
 * so that only the update at fault is dropped.
 */
public final class StatusOutbox implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(StatusOutbox.class.getName());

  /** The most updates sent in one request. */
  public static final int MAX_BATCH = 1000;

  /**
   * Sends updates in one request, in order; returns once the allocator has them durably, naming
   * their uuids. Throws {@link ApiException} when they are not acknowledged (then none of them is
   * taken as delivered). May block (it is an HTTP request); called on the outbox's thread only.
   */
  @FunctionalInterface
  public interface Sender {
    StatusAcks send(List<TaskStatus> statuses);
  }

  /** Hears what happens to updates. Called on the outbox's thread. */
  public interface Listener {
    /** The allocator has the update. */
    void acknowledged(TaskStatus status);

    /** The allocator does not know this agent (404): it should register again. */
    default void unknownAgent() {}
  }

  private record Key(FrameworkId frameworkId, TaskId taskId) {}

  private record Entry(long seq, Path file, TaskStatus status) {}

  private static final class Queue {
    final Deque<Entry> entries = new ArrayDeque<>();
    int attempts;
    long dueNanos;
  }

  private final Path dir;
  private final Backoff backoff;
  private final Listener listener;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final Map<Key, Queue> queues = new LinkedHashMap<>();
  private long nextSeq;
  private Sender sender;
  private boolean closed;
  private final Thread thread;

  /**
   * Loads the updates left on disk by a previous run, and starts (paused until a sender is set).
   */
  public StatusOutbox(Path dir, Backoff backoff, Listener listener) throws IOException {
    this.dir = dir;
    this.backoff = backoff;
    this.listener = listener;
    Files.createDirectories(dir);
    load();
    this.thread = Thread.ofPlatform().daemon().name("strata-status-outbox").start(this::run);
  }

  private void load() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
    }
    for (Path f : files) {
      String name = f.getFileName().toString();
      long seq = Long.parseLong(name.substring(0, name.indexOf('-')));
      TaskStatus status;
      try {
        status = Codec.JSON.decode(Files.readAllBytes(f), TaskStatus.class);
      } catch (ValidationException e) {
        LOG.log(
            System.Logger.Level.ERROR,
            "status update " + f + " is unreadable, set aside: " + e.getMessage());
        Files.move(f, f.resolveSibling(name + ".bad"));
        continue;
      }
      queueOf(status).entries.add(new Entry(seq, f, status));
      nextSeq = Math.max(nextSeq, seq + 1);
    }
  }

  private Queue queueOf(TaskStatus s) {
    return queues.computeIfAbsent(new Key(s.frameworkId(), s.taskId()), k -> new Queue());
  }

  /** Makes the update durable, then queues it for sending. The update must carry a uuid. */
  public void enqueue(TaskStatus status) throws IOException {
    Objects.requireNonNull(status.uuid(), "status updates from agents carry a uuid");
    lock.lock();
    try {
      long seq = nextSeq++;
      Path file = dir.resolve(String.format("%020d-%s.json", seq, status.uuid()));
      DurableFiles.write(file, Codec.JSON.encodeBytes(status));
      Queue q = queueOf(status);
      q.entries.add(new Entry(seq, file, status));
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Starts sending through {@code newSender}, or pauses if null (not registered). */
  public void sendThrough(Sender newSender) {
    lock.lock();
    try {
      sender = newSender;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Retries every pending update now (the agent just reconnected). */
  public void nudge() {
    lock.lock();
    try {
      for (Queue q : queues.values()) {
        q.attempts = 0;
        q.dueNanos = 0;
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** The updates not yet acknowledged, oldest first. */
  public List<TaskStatus> pending() {
    lock.lock();
    try {
      List<Entry> all = new ArrayList<>();
      queues.values().forEach(q -> all.addAll(q.entries));
      all.sort((a, b) -> Long.compare(a.seq(), b.seq()));
      return all.stream().map(Entry::status).toList();
    } finally {
      lock.unlock();
    }
  }

  private void run() {
    while (true) {
      List<Entry> batch = new ArrayList<>();
      Sender via;
      lock.lock();
      try {
        while (!closed) {
          long wait = Long.MAX_VALUE;
          if (sender != null) {
            long now = System.nanoTime();
            for (Queue q : queues.values()) {
              if (q.entries.isEmpty()) {
                continue;
              }
              long left = q.dueNanos - now;
              if (left > 0) {
                wait = Math.min(wait, left);
                continue;
              }
              // A task's updates go together and in order; the rest of a long queue next time.
              for (Entry e : q.entries) {
                if (batch.size() >= MAX_BATCH) {
                  break;
                }
                batch.add(e);
              }
              if (batch.size() >= MAX_BATCH) {
                break;
              }
            }
          }
          if (!batch.isEmpty()) {
            break;
          }
          if (wait == Long.MAX_VALUE) {
            changed.awaitUninterruptibly();
          } else {
            changed.awaitNanos(wait);
          }
        }
        if (closed) {
          return;
        }
        via = sender;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } finally {
        lock.unlock();
      }
      deliver(batch, via);
    }
  }

  /** Sends {@code batch}; true if every update of it was delivered (or dropped for good). */
  private boolean deliver(List<Entry> batch, Sender via) {
    Set<UUID> delivered = new HashSet<>();
    try {
      StatusAcks acks = via.send(batch.stream().map(Entry::status).toList());
      if (acks != null) {
        delivered.addAll(acks.uuids());
      }
      if (batch.stream().anyMatch(e -> !delivered.contains(e.status().uuid()))) {
        LOG.log(
            System.Logger.Level.WARNING,
            "allocator acknowledged "
                + delivered.size()
                + " of "
                + batch.size()
                + " updates; the others are sent again");
      }
    } catch (ApiException e) {
      if (e.status() == 404) {
        listener.unknownAgent();
      } else if (e.status() == 400 || e.status() == 403 || e.status() == 422) {
        if (batch.size() > 1) {
          // One of them is at fault: find it by sending each alone. A task whose update fails
          // keeps its later ones queued, so they stay in order.
          Set<Key> failedTasks = new HashSet<>();
          for (Entry one : batch) {
            Key task = new Key(one.status().frameworkId(), one.status().taskId());
            if (!failedTasks.contains(task) && !deliver(List.of(one), via)) {
              failedTasks.add(task);
            }
          }
          return failedTasks.isEmpty();
        }
        // The allocator will never take this update: keeping it would block the task's queue.
        LOG.log(
            System.Logger.Level.ERROR,
            "allocator refused update "
                + batch.get(0).status().uuid()
                + " for good, dropping it: "
                + e.getMessage());
        delivered.add(batch.get(0).status().uuid());
      }
    } catch (RuntimeException e) {
      LOG.log(
          System.Logger.Level.WARNING, "sending " + batch.size() + " status update(s) failed", e);
    }
    List<Entry> done = new ArrayList<>();
    lock.lock();
    try {
      Set<Queue> failed = new HashSet<>();
      for (Entry entry : batch) {
        Queue q = queueOf(entry.status());
        if (!delivered.contains(entry.status().uuid()) || failed.contains(q)) {
          // A task whose earlier update failed keeps its later ones too: order is kept.
          failed.add(q);
          continue;
        }
        try {
          DurableFiles.delete(entry.file());
        } catch (IOException e) {
          LOG.log(
              System.Logger.Level.WARNING,
              "cannot delete delivered update " + entry.file() + ": " + e.getMessage());
        }
        q.entries.remove(entry);
        q.attempts = 0;
        q.dueNanos = 0;
        if (q.entries.isEmpty()) {
          queues.remove(new Key(entry.status().frameworkId(), entry.status().taskId()));
        }
        done.add(entry);
      }
      long now = System.nanoTime();
      for (Queue q : failed) {
        q.attempts++;
        q.dueNanos = now + backoff.delay(q.attempts).toNanos();
      }
    } finally {
      lock.unlock();
    }
    for (Entry entry : done) {
      listener.acknowledged(entry.status());
    }
    return done.size() == batch.size();
  }

  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
