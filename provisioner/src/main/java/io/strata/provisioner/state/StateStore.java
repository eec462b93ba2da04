package io.strata.provisioner.state;

import io.strata.api.json.Codec;
import io.strata.provisioner.core.ClusterRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * One state file per cluster ({@code <dir>/<cluster>.state.json}), replaced atomically: the new
 * content goes to a temporary file that is fsynced, renamed over the old one, and the directory is
 * fsynced, so a crash leaves either the old or the new state, never a torn one. The file holds the
 * join token, so it is readable by its owner only.
 */
public final class StateStore {
  private final Path dir;

  public StateStore(Path dir) {
    this.dir = dir;
  }

  public Path dir() {
    return dir;
  }

  public Path fileOf(String cluster) {
    return dir.resolve(cluster + ".state.json");
  }

  public Optional<ClusterRecord> load(String cluster) {
    Path file = fileOf(cluster);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Codec.JSON.decode(Files.readAllBytes(file), ClusterRecord.class));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read state " + file, e);
    }
  }

  public synchronized void save(ClusterRecord record) {
    Path file = fileOf(record.cluster());
    Path tmp = dir.resolve(record.cluster() + ".state.json.tmp");
    try {
      Files.createDirectories(dir);
      byte[] bytes = Codec.JSON.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(record);
      try (FileChannel ch =
          FileChannel.open(
              tmp,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING)) {
        ownerOnly(tmp);
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
      syncDirectory();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write state " + file, e);
    }
  }

  public synchronized void delete(String cluster) {
    try {
      Files.deleteIfExists(fileOf(cluster));
      syncDirectory();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete state of " + cluster, e);
    }
  }

  private static void ownerOnly(Path file) throws IOException {
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // Windows: the user's profile directory is private already.
    }
  }

  private void syncDirectory() throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Some platforms (Windows) cannot open a directory; the rename is durable there.
      if (!System.getProperty("os.name", "").startsWith("Windows")) {
        throw e;
      }
    }
  }
}
