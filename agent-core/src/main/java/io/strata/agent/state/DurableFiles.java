package io.strata.agent.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/**
 * Files that survive a crash: written to a temporary name, fsync'd, renamed over the target, and
 * the directory fsync'd so the rename itself is durable. Every file is the agent's own state:
 * created owner-only (0600, from its first instant), in owner-only directories when it creates them
 * ({@link StateFiles}).
 */
public final class DurableFiles {
  private DurableFiles() {}

  public static void write(Path target, byte[] content) throws IOException {
    write(target, content, true);
  }

  /**
   * Writes atomically (temporary file + rename); with {@code sync}, also durably (fsync of the file
   * and of the directory). Without it the file survives a crash of the process but maybe not of the
   * machine.
   */
  public static void write(Path target, byte[] content, boolean sync) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    if (!Files.isDirectory(dir)) {
      StateFiles.privateDirectory(dir);
    }
    Path tmp = dir.resolve("." + target.getFileName() + ".tmp");
    // A temporary file left by a crash keeps the mode it had: start afresh so it is created 0600.
    Files.deleteIfExists(tmp);
    try (FileChannel ch =
        FileChannel.open(
            tmp,
            Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
            StateFiles.privateFile())) {
      ByteBuffer buf = ByteBuffer.wrap(content);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      if (sync) {
        ch.force(true);
      }
    }
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    if (sync) {
      syncDirectory(dir);
    }
  }

  public static void delete(Path target) throws IOException {
    if (Files.deleteIfExists(target)) {
      syncDirectory(target.toAbsolutePath().getParent());
    }
  }

  public static void syncDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }
}
