package io.strata.host;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files that survive a crash, the one implementation every module uses (the agents' checkpoints and
 * credentials, the allocator's journal snapshots, the provisioner's cluster state).
 *
 * <p>{@link #write} puts the content in a temporary file beside the target ({@code .<name>.tmp}),
 * fsyncs it, renames it over the target (atomically: a reader, or a restart after a crash, sees the
 * old content or the new, never a mix) and fsyncs the directory so that the rename itself is
 * durable. Every file is private to its owner: created 0600 from its first instant where the file
 * system has POSIX modes, in a directory created 0700 when it is missing. On Windows there are no
 * modes (the directory's ACL protects the files) and a directory cannot be opened to fsync it; a
 * rename there is durable once it returns, so {@link #syncDirectory} does nothing.
 */
public final class DurableFiles {
  private static final boolean POSIX =
      FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  private static final String OWNER_ONLY = "rw-------";
  private static final String PRIVATE_DIRECTORY = "rwx------";

  private DurableFiles() {}

  /**
   * Replaces {@code target} with {@code content}, atomically and durably; see the class comment.
   */
  public static void write(Path target, byte[] content) throws IOException {
    write(target, content, true);
  }

  /**
   * Replaces {@code target} atomically; with {@code sync}, also durably (fsync of the file and of
   * the directory). Without it the file survives a crash of the process but maybe not of the
   * machine: for what is cheap to lose and written often. A temporary file a crash left behind is
   * replaced.
   *
   * @throws IOException when the directory cannot be created or the file written or renamed; the
   *     target is then unchanged
   */
  public static void write(Path target, byte[] content, boolean sync) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    if (!Files.isDirectory(dir)) {
      privateDirectory(dir);
    }
    Path tmp = dir.resolve("." + target.getFileName() + ".tmp");
    // A temporary file left by a crash keeps the mode it had: start afresh so it is created 0600.
    Files.deleteIfExists(tmp);
    try (FileChannel ch =
        FileChannel.open(
            tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), ownerOnly())) {
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

  /** Deletes {@code target} durably if it exists; whether it did. */
  public static boolean delete(Path target) throws IOException {
    if (!Files.deleteIfExists(target)) {
      return false;
    }
    syncDirectory(target.toAbsolutePath().getParent());
    return true;
  }

  /**
   * Makes the directory's entries durable (files created, renamed or deleted in it): fsync of the
   * directory. Does nothing on Windows, which cannot open a directory and whose renames are durable
   * once they return.
   */
  public static void syncDirectory(Path dir) throws IOException {
    if (HostOs.windows()) {
      return;
    }
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }

  /**
   * The attributes that create a file owner-only (0600) from its first instant; none on Windows.
   */
  public static FileAttribute<?>[] ownerOnly() {
    return POSIX
        ? new FileAttribute<?>[] {
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(OWNER_ONLY))
        }
        : new FileAttribute<?>[0];
  }

  /**
   * Creates {@code dir} and its missing parents owner-only (0700) if it is missing. An existing
   * directory keeps its mode: the caller chose it.
   */
  public static Path privateDirectory(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return dir;
    }
    if (!POSIX) {
      return Files.createDirectories(dir);
    }
    Files.createDirectories(
        dir,
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(PRIVATE_DIRECTORY)));
    // The mode given at creation is cut by the umask.
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(PRIVATE_DIRECTORY));
    return dir;
  }
}
