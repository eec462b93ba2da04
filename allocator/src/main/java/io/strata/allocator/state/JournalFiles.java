package io.strata.allocator.state;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.strata.host.DurableFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The files of a journal directory: naming, listing, creating and retiring them. */
final class JournalFiles {
  private static final Logger LOG = LoggerFactory.getLogger(JournalFiles.class);
  private static final Pattern SEGMENT = Pattern.compile("journal-(\\d{20})\\.log");
  private static final Pattern SNAPSHOT = Pattern.compile("snapshot-(\\d{20})\\.snap");

  private final Path dir;
  private final List<Path> segments;
  private final List<Path> snapshots;
  private final List<Path> temporaries;

  private JournalFiles(Path dir, List<Path> segments, List<Path> snapshots, List<Path> temps) {
    this.dir = dir;
    this.segments = segments;
    this.snapshots = snapshots;
    this.temporaries = temps;
  }

  static JournalFiles list(Path dir) throws IOException {
    List<Path> segments = new ArrayList<>();
    List<Path> snapshots = new ArrayList<>();
    List<Path> temps = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        String name = f.getFileName().toString();
        if (SEGMENT.matcher(name).matches()) {
          segments.add(f);
        } else if (SNAPSHOT.matcher(name).matches()) {
          snapshots.add(f);
        } else if (name.endsWith(".tmp")) {
          temps.add(f);
        }
      }
    }
    Comparator<Path> byName = Comparator.comparing(p -> p.getFileName().toString());
    segments.sort(byName);
    snapshots.sort(byName);
    return new JournalFiles(dir, segments, snapshots, temps);
  }

  List<Path> segments() {
    return segments;
  }

  void deleteTemporaries() throws IOException {
    for (Path t : temporaries) {
      Files.deleteIfExists(t);
    }
  }

  /** The newest snapshot that reads back whole, or null if there is none. */
  EmbeddedJournal.SnapshotFile newestSnapshot(ObjectMapper mapper) throws IOException {
    for (int i = snapshots.size() - 1; i >= 0; i--) {
      Path file = snapshots.get(i);
      try {
        SegmentReader.Scan scan = SegmentReader.scan(file, RecordFormat.SNAPSHOT_MAGIC);
        if (scan.torn() || scan.entries().size() != 1) {
          LOG.warn("snapshot {} is incomplete; trying an older one", file.getFileName());
          continue;
        }
        return mapper.readValue(
            scan.entries().get(0).payload(), EmbeddedJournal.SnapshotFile.class);
      } catch (StateStoreException e) {
        LOG.warn("snapshot {} is unreadable ({}); trying an older one", file, e.getMessage());
      }
    }
    return null;
  }

  /** Deletes the segments and older snapshots that the snapshot at {@code seq} makes redundant. */
  void deleteCoveredBy(long seq) throws IOException {
    for (Path s : segments) {
      if (firstSeq(s, SEGMENT) <= seq) {
        Files.deleteIfExists(s);
      }
    }
    for (Path s : snapshots) {
      if (firstSeq(s, SNAPSHOT) < seq) {
        Files.deleteIfExists(s);
      }
    }
    DurableFiles.syncDirectory(dir);
  }

  static FileChannel createSegment(Path dir, long firstSeq) throws IOException {
    Path file = dir.resolve(String.format("journal-%020d.log", firstSeq));
    FileChannel ch =
        FileChannel.open(
            file,
            Set.of(
                StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.APPEND),
            DurableFiles.ownerOnly());
    ch.write(ByteBuffer.wrap(RecordFormat.SEGMENT_MAGIC));
    ch.force(true);
    DurableFiles.syncDirectory(dir);
    return ch;
  }

  /** Writes the snapshot at {@code seq} atomically and durably (a crash leaves none or all). */
  static void writeSnapshot(Path dir, long seq, byte[] payload) throws IOException {
    ByteBuffer framed = RecordFormat.frame(seq, payload);
    ByteBuffer file = ByteBuffer.allocate(RecordFormat.SNAPSHOT_MAGIC.length + framed.remaining());
    file.put(RecordFormat.SNAPSHOT_MAGIC).put(framed);
    DurableFiles.write(dir.resolve(String.format("snapshot-%020d.snap", seq)), file.array());
  }

  private static long firstSeq(Path p, Pattern pattern) {
    Matcher m = pattern.matcher(p.getFileName().toString());
    if (!m.matches()) {
      throw new IllegalArgumentException(p.toString());
    }
    return Long.parseLong(m.group(1));
  }
}
