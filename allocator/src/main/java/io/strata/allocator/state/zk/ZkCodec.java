package io.strata.allocator.state.zk;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.strata.allocator.state.StateEvent;
import io.strata.allocator.state.StateSnapshot;
import io.strata.allocator.state.StateStoreException;
import io.strata.api.json.Codec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The bytes of the store's znodes. A record znode is {@code kind u8 | crc32c u32 | body}: kind
 * {@code B} holds the batch's JSON ({@code {"events":[...]}}), kind {@code M} a {@link Manifest}
 * naming the chunks that hold it. The checksum covers the record's sequence number and the body, so
 * a znode copied to the wrong place or damaged does not read back as state. A manifest carries the
 * checksum of the whole reassembled payload.
 */
final class ZkCodec {
  static final byte INLINE = 'B';
  static final byte MANIFEST = 'M';
  static final int HEADER = 5;

  private static final ObjectMapper MAPPER = Codec.JSON.mapper();

  private ZkCodec() {}

  /** The JSON payload of one record. */
  record Batch(List<StateEvent> events) {}

  /** A record stored as chunks: {@code chunks} znodes written by the leader of {@code epoch}. */
  record Manifest(long epoch, int chunks, int bytes, long crc) {}

  /** A compacted snapshot: the state after record {@code lastSeq}, in chunks. */
  record SnapshotManifest(
      int formatVersion, long lastSeq, long epoch, int chunks, int bytes, long crc) {}

  static byte[] batchJson(List<StateEvent> events) {
    try {
      return MAPPER.writeValueAsBytes(new Batch(events));
    } catch (IOException e) {
      throw new StateStoreException("cannot encode a state change: " + e.getMessage(), e);
    }
  }

  static List<StateEvent> events(byte[] json, String where) {
    try {
      return MAPPER.readValue(json, Batch.class).events();
    } catch (IOException e) {
      throw new StateStoreException(where + ": unreadable batch: " + e.getMessage(), e);
    }
  }

  static byte[] snapshotJson(StateSnapshot state) {
    try {
      return MAPPER.writeValueAsBytes(state);
    } catch (IOException e) {
      throw new StateStoreException("cannot encode a snapshot: " + e.getMessage(), e);
    }
  }

  static StateSnapshot snapshot(byte[] json, String where) {
    try {
      return MAPPER.readValue(json, StateSnapshot.class);
    } catch (IOException e) {
      throw new StateStoreException(where + ": unreadable snapshot: " + e.getMessage(), e);
    }
  }

  static byte[] json(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new StateStoreException("cannot encode " + value + ": " + e.getMessage(), e);
    }
  }

  static <T> T read(byte[] json, Class<T> type, String where) {
    try {
      return MAPPER.readValue(json, type);
    } catch (IOException e) {
      throw new StateStoreException(where + ": unreadable: " + e.getMessage(), e);
    }
  }

  static byte[] record(long seq, byte kind, byte[] body) {
    ByteBuffer b = ByteBuffer.allocate(HEADER + body.length);
    b.put(kind).putInt((int) crc(seq, body)).put(body);
    return b.array();
  }

  /** The body of a record znode after checking its checksum. */
  static byte[] body(long seq, byte[] data, String where) {
    if (data == null || data.length < HEADER) {
      throw new StateStoreException(where + ": damaged record (" + len(data) + " bytes)");
    }
    byte[] body = Arrays.copyOfRange(data, HEADER, data.length);
    int stored = ByteBuffer.wrap(data, 1, 4).getInt();
    if (stored != (int) crc(seq, body)) {
      throw new StateStoreException(where + ": damaged record (checksum mismatch)");
    }
    if (data[0] != INLINE && data[0] != MANIFEST) {
      throw new StateStoreException(where + ": unknown record kind " + data[0]);
    }
    return body;
  }

  static long crc(long seq, byte[] payload) {
    CRC32C crc = new CRC32C();
    crc.update(ByteBuffer.allocate(8).putLong(seq).flip());
    crc.update(payload);
    return crc.getValue();
  }

  /** Splits a payload into pieces of at most {@code size} bytes (at least one piece). */
  static List<byte[]> split(byte[] payload, int size) {
    List<byte[]> pieces = new ArrayList<>();
    for (int at = 0; at < payload.length || pieces.isEmpty(); at += size) {
      pieces.add(Arrays.copyOfRange(payload, at, Math.min(payload.length, at + size)));
    }
    return pieces;
  }

  static byte[] join(List<byte[]> pieces) {
    int total = pieces.stream().mapToInt(p -> p.length).sum();
    ByteBuffer b = ByteBuffer.allocate(total);
    pieces.forEach(b::put);
    return b.array();
  }

  private static int len(byte[] data) {
    return data == null ? 0 : data.length;
  }
}
