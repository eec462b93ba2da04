package io.strata.allocator.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the records of one file and tells a torn tail (the crash interrupted the last write) from
 * corruption (bad bytes followed by more data, which no crash of an append-only writer produces).
 */
final class SegmentReader {

  /** A record read back: its sequence number and payload. */
  record Entry(long seq, byte[] payload) {}

  /**
   * The valid records, and {@code validBytes}: the file length up to the end of the last valid
   * record. {@code torn} is set when bytes after it are the remains of an interrupted write.
   */
  record Scan(List<Entry> entries, long validBytes, boolean torn, String tornReason) {}

  private SegmentReader() {}

  /**
   * @throws StateStoreException if the file is corrupt in a way a crash cannot explain
   */
  static Scan scan(Path file, byte[] magic) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    if (bytes.length < RecordFormat.MAGIC_BYTES) {
      if (isPrefixOf(bytes, magic)) {
        return new Scan(List.of(), 0, bytes.length > 0, "file header cut short");
      }
      throw new StateStoreException(file + ": not a Strata journal file (bad header)");
    }
    if (!Arrays.equals(bytes, 0, RecordFormat.MAGIC_BYTES, magic, 0, magic.length)) {
      throw new StateStoreException(file + ": not a Strata journal file (bad header)");
    }
    List<Entry> entries = new ArrayList<>();
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
    int pos = RecordFormat.MAGIC_BYTES;
    while (pos < bytes.length) {
      String problem;
      boolean tail;
      if (bytes.length - pos < RecordFormat.HEADER_BYTES) {
        problem = "record header cut short";
        tail = true;
      } else {
        long length = Integer.toUnsignedLong(b.getInt(pos));
        long crc = Integer.toUnsignedLong(b.getInt(pos + 4));
        long seq = b.getLong(pos + 8);
        long end = pos + RecordFormat.HEADER_BYTES + length;
        if (length > RecordFormat.MAX_PAYLOAD_BYTES) {
          problem = "record length " + length + " is impossible";
          tail = allZero(bytes, pos);
        } else if (end > bytes.length) {
          problem = "record cut short";
          tail = true;
        } else {
          int start = pos + RecordFormat.HEADER_BYTES;
          if (RecordFormat.crc(seq, bytes, start, (int) length) == crc) {
            entries.add(new Entry(seq, Arrays.copyOfRange(bytes, start, (int) end)));
            pos = (int) end;
            continue;
          }
          problem = "checksum mismatch";
          // A write cut by a crash leaves the last record damaged, or zeros where the file system
          // had extended the file; damage followed by real data is corruption.
          tail = end == bytes.length || allZero(bytes, pos);
        }
      }
      if (tail) {
        return new Scan(entries, pos, true, problem + " at byte " + pos);
      }
      throw new StateStoreException(
          file
              + ": corrupt at byte "
              + pos
              + " ("
              + problem
              + ") with data after it; refusing to guess. Restore the data directory from a"
              + " backup, or move this file away to accept losing the changes it holds.");
    }
    return new Scan(entries, pos, false, null);
  }

  private static boolean allZero(byte[] bytes, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean isPrefixOf(byte[] bytes, byte[] magic) {
    return Arrays.equals(bytes, 0, bytes.length, magic, 0, bytes.length);
  }
}
