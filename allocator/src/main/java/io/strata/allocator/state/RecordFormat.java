package io.strata.allocator.state;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * How one record is framed in a journal segment or a snapshot file:
 *
 * <pre>
 *   length  u32  bytes of payload
 *   crc     u32  CRC32C over seq and payload
 *   seq     i64  the record's sequence number (strictly increasing by one)
 *   payload      UTF-8 JSON
 * </pre>
 *
 * All integers are big-endian. A file starts with an 8-byte magic naming its kind and version.
 */
final class RecordFormat {
  static final int HEADER_BYTES = 16;
  static final int MAX_PAYLOAD_BYTES = 256 * 1024 * 1024;
  static final byte[] SEGMENT_MAGIC = {'S', 'T', 'R', 'J', 'R', 'N', 'L', '1'};
  static final byte[] SNAPSHOT_MAGIC = {'S', 'T', 'R', 'S', 'N', 'A', 'P', '1'};
  static final int MAGIC_BYTES = 8;

  private RecordFormat() {}

  static ByteBuffer frame(long seq, byte[] payload) {
    ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES + payload.length).order(ByteOrder.BIG_ENDIAN);
    b.putInt(payload.length);
    b.putInt((int) crc(seq, payload, 0, payload.length));
    b.putLong(seq);
    b.put(payload);
    return b.flip();
  }

  static long crc(long seq, byte[] payload, int offset, int length) {
    CRC32C crc = new CRC32C();
    ByteBuffer s = ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putLong(seq).flip();
    crc.update(s);
    crc.update(payload, offset, length);
    return crc.getValue();
  }
}
