package io.strata.allocator.state;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.strata.api.json.Codec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded state store: an append-only journal of event batches in the data directory, fsynced
 * before an append completes, with periodic snapshots so recovery stays short.
 *
 * <p>Files: {@code journal-<firstSeq>.log} segments and {@code snapshot-<seq>.snap}, both framed by
 * {@link RecordFormat}; {@code LOCK} keeps a second allocator off the directory. Appends from many
 * threads are committed in groups: one writer thread writes every batch waiting, forces the file
 * once, then completes their futures in order. Every {@code snapshotEvery} batches it starts a new
 * segment and writes a snapshot of the fold in the background; once the snapshot is durable the
 * segments it covers are deleted. Recovery loads the newest snapshot, replays the segments after
 * it, and truncates a torn last record (a crash in the middle of a write).
 */
public final class EmbeddedJournal implements StateStore {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedJournal.class);
  private static final int MAX_GROUP = 1024;

  private final Path dir;
  private final int snapshotEvery;
  private final ObjectMapper mapper = Codec.JSON.mapper();
  private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final ExecutorService snapshots =
      Executors.newSingleThreadExecutor(
          r -> Thread.ofPlatform().daemon().name("journal-snapshot").unstarted(r));

  private DurableState fold;
  private FileChannel lockChannel;
  private FileLock lock;
  private FileChannel segment;
  private long lastSeq;
  private long batchesSinceSnapshot;
  private CompletableFuture<Void> snapshotInFlight = CompletableFuture.completedFuture(null);
  private Thread writer;
  private volatile StateStoreException failure;
  private volatile boolean closed;

  private record Pending(List<StateEvent> events, CompletableFuture<Void> done) {}

  /** The JSON payload of one journal record. */
  record Batch(List<StateEvent> events) {}

  /** The JSON payload of a snapshot file. */
  record SnapshotFile(int formatVersion, long lastSeq, StateSnapshot state) {}

  public EmbeddedJournal(Path dir, int snapshotEvery) {
    if (snapshotEvery < 1) {
      throw new IllegalArgumentException("snapshotEvery must be >= 1");
    }
    this.dir = dir;
    this.snapshotEvery = snapshotEvery;
  }

  @Override
  public synchronized StateSnapshot recover() {
    if (fold != null) {
      throw new IllegalStateException("recover() is called once");
    }
    try {
      DataDirectory.create(dir);
      lockDirectory();
      JournalFiles files = JournalFiles.list(dir);
      files.deleteTemporaries();
      SnapshotFile base = files.newestSnapshot(mapper);
      fold = base == null ? new DurableState() : DurableState.of(base.state());
      lastSeq = base == null ? 0 : base.lastSeq();
      long replayed = 0;
      List<Path> segments = files.segments();
      for (int i = 0; i < segments.size(); i++) {
        Path file = segments.get(i);
        SegmentReader.Scan scan = SegmentReader.scan(file, RecordFormat.SEGMENT_MAGIC);
        boolean last = i == segments.size() - 1;
        if (scan.torn()) {
          if (!last) {
            throw new StateStoreException(
                file + ": damaged (" + scan.tornReason() + ") but later segments exist");
          }
          LOG.warn(
              "journal {}: dropping a torn last write ({}); it was never acknowledged",
              file.getFileName(),
              scan.tornReason());
          truncate(file, scan.validBytes());
        }
        for (SegmentReader.Entry e : scan.entries()) {
          if (e.seq() <= lastSeq) {
            continue;
          }
          if (e.seq() != lastSeq + 1) {
            throw new StateStoreException(
                file + ": record " + e.seq() + " follows " + lastSeq + "; records are missing");
          }
          Batch batch = mapper.readValue(e.payload(), Batch.class);
          batch.events().forEach(fold::apply);
          lastSeq = e.seq();
          replayed++;
        }
      }
      openSegmentForAppend(segments);
      LOG.info(
          "journal {}: recovered to record {} ({} replayed after the snapshot)",
          dir,
          lastSeq,
          replayed);
      batchesSinceSnapshot = replayed;
      StateSnapshot recovered = fold.snapshot();
      writer = Thread.ofPlatform().name("journal-writer").daemon().unstarted(this::writeLoop);
      writer.start();
      return recovered;
    } catch (IOException e) {
      throw new StateStoreException("cannot read the journal in " + dir + ": " + e.getMessage(), e);
    }
  }

  @Override
  public CompletableFuture<Void> append(List<StateEvent> events) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    StateStoreException failed = failure;
    if (failed != null) {
      done.completeExceptionally(failed);
      return done;
    }
    if (closed || writer == null) {
      done.completeExceptionally(new StateStoreException("the journal is not open"));
      return done;
    }
    queue.add(new Pending(List.copyOf(events), done));
    return done;
  }

  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    if (writer != null) {
      queue.add(new Pending(null, new CompletableFuture<>()));
      try {
        writer.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    snapshots.shutdown();
    try {
      if (!snapshots.awaitTermination(30, TimeUnit.SECONDS)) {
        LOG.warn("journal {}: a snapshot was still being written at close", dir);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closeQuietly();
  }

  private void writeLoop() {
    List<Pending> group = new ArrayList<>();
    while (true) {
      group.clear();
      try {
        group.add(queue.take());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      queue.drainTo(group, MAX_GROUP - 1);
      boolean stop = false;
      List<Pending> batch = new ArrayList<>();
      for (Pending p : group) {
        if (p.events() == null) {
          stop = true;
        } else {
          batch.add(p);
        }
      }
      commit(batch);
      if (stop) {
        // Anything queued after close() began is refused.
        Pending p;
        while ((p = queue.poll()) != null) {
          if (p.events() != null) {
            p.done().completeExceptionally(new StateStoreException("the journal is closed"));
          }
        }
        return;
      }
    }
  }

  private void commit(List<Pending> batch) {
    if (failure != null) {
      batch.forEach(p -> p.done().completeExceptionally(failure));
      return;
    }
    List<Pending> written = new ArrayList<>();
    try {
      for (Pending p : batch) {
        if (p.events().isEmpty()) {
          written.add(p);
          continue;
        }
        byte[] payload;
        try {
          payload = mapper.writeValueAsBytes(new Batch(p.events()));
        } catch (IOException | RuntimeException e) {
          p.done()
              .completeExceptionally(
                  new StateStoreException("cannot encode a state change: " + e.getMessage(), e));
          continue;
        }
        ByteBuffer framed = RecordFormat.frame(lastSeq + 1, payload);
        while (framed.hasRemaining()) {
          segment.write(framed);
        }
        lastSeq++;
        batchesSinceSnapshot++;
        p.events().forEach(fold::apply);
        written.add(p);
      }
      segment.force(false);
    } catch (IOException | RuntimeException e) {
      failure = new StateStoreException("journal write failed: " + e.getMessage(), e);
      LOG.error("journal {}: write failed; no further change can be made durable", dir, e);
      batch.forEach(p -> p.done().completeExceptionally(failure));
      return;
    }
    written.forEach(p -> p.done().complete(null));
    if (batchesSinceSnapshot >= snapshotEvery && snapshotInFlight.isDone()) {
      startSnapshot();
    }
  }

  /** Starts a new segment and writes the fold as of now in the background. */
  private void startSnapshot() {
    try {
      long upTo = lastSeq;
      FileChannel next = JournalFiles.createSegment(dir, upTo + 1);
      segment.close();
      segment = next;
      batchesSinceSnapshot = 0;
      StateSnapshot state = fold.snapshot();
      snapshotInFlight =
          CompletableFuture.runAsync(
              () -> {
                try {
                  JournalFiles.writeSnapshot(
                      dir, upTo, mapper.writeValueAsBytes(new SnapshotFile(1, upTo, state)));
                  JournalFiles.list(dir).deleteCoveredBy(upTo);
                } catch (IOException e) {
                  // The journal still holds everything; the next snapshot will try again.
                  LOG.warn("journal {}: snapshot at record {} failed: {}", dir, upTo, e.toString());
                }
              },
              snapshots);
    } catch (IOException e) {
      failure = new StateStoreException("cannot start a journal segment: " + e.getMessage(), e);
      LOG.error("journal {}: cannot start a new segment", dir, e);
    }
  }

  private void openSegmentForAppend(List<Path> segments) throws IOException {
    if (segments.isEmpty()) {
      segment = JournalFiles.createSegment(dir, lastSeq + 1);
      return;
    }
    Path last = segments.get(segments.size() - 1);
    if (Files.size(last) < RecordFormat.MAGIC_BYTES) {
      Files.delete(last);
      segment = JournalFiles.createSegment(dir, lastSeq + 1);
      return;
    }
    segment = FileChannel.open(last, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
  }

  private static void truncate(Path file, long validBytes) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.truncate(validBytes);
      ch.force(true);
    }
  }

  private void lockDirectory() throws IOException {
    lockChannel =
        FileChannel.open(dir.resolve("LOCK"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      lock = lockChannel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      lockChannel.close();
      throw new StateStoreException(
          dir + " is in use by another allocator (its LOCK file is held)");
    }
  }

  private void closeQuietly() {
    try {
      if (segment != null) {
        segment.close();
      }
      if (lock != null) {
        lock.release();
      }
      if (lockChannel != null) {
        lockChannel.close();
      }
    } catch (IOException e) {
      LOG.warn("journal {}: closing files: {}", dir, e.toString());
    }
  }
}
