package io.strata.allocator.state;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;

/** The embedded journal keeps every promise of the state store SPI. */
class EmbeddedJournalContractTest extends StateStoreContract {
  @TempDir Path dir;

  @Override
  protected StateStore open(int snapshotEvery) {
    return new EmbeddedJournal(dir, snapshotEvery);
  }

  /** A crash in the middle of writing a record: its header and half its payload. */
  @Override
  protected void tearNextWrite() throws IOException {
    Path segment = lastSegment();
    byte[] partial = RecordFormat.frame(Long.MAX_VALUE, "{\"events\":[]}".getBytes()).array();
    Files.write(segment, Arrays.copyOf(partial, 20), StandardOpenOption.APPEND);
  }

  /** A flipped byte inside the first record, with valid records after it. */
  @Override
  protected void damageFirstRecord() throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(lastSegment().toFile(), "rw")) {
      long at = RecordFormat.MAGIC_BYTES + RecordFormat.HEADER_BYTES + 5;
      f.seek(at);
      int b = f.read();
      f.seek(at);
      f.write(b ^ 0x5a);
    }
  }

  private Path lastSegment() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      List<Path> segments =
          s.filter(p -> p.getFileName().toString().startsWith("journal-")).sorted().toList();
      return segments.get(segments.size() - 1);
    }
  }
}
