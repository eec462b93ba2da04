package io.strata.agent.state;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The modes of the agent's own state: tasks run as other users on the same machine and must read
 * none of it (a task record holds every task's command and environment; the credential lets its
 * holder act as the agent). Directories are 0700 and files 0600, except the two directories on the
 * way to a sandbox, which tasks must traverse: the work dir and {@code sandboxes/} are 0711 (enter,
 * never list). Each sandbox itself is 0700, owned by its task's user (the containerizer chowns it).
 *
 * <p>On a file system without POSIX modes (Windows) every method does nothing: there the agent's
 * state is protected by the directory's ACL (docs/isolation.md).
 */
public final class StateFiles {
  public static final Set<PosixFilePermission> PRIVATE_DIR =
      PosixFilePermissions.fromString("rwx------");
  public static final Set<PosixFilePermission> PRIVATE_FILE =
      PosixFilePermissions.fromString("rw-------");
  public static final Set<PosixFilePermission> TRAVERSE_ONLY =
      PosixFilePermissions.fromString("rwx--x--x");

  /** The directories of the work dir that hold only the agent's own state. */
  static final List<String> PRIVATE_DIRS = List.of("meta", "outbox", "linux", "docker", "windows");

  private static final boolean POSIX =
      FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

  private StateFiles() {}

  /** Whether modes apply here (false on Windows). */
  public static boolean posix() {
    return POSIX;
  }

  /** The attribute that creates a file owner-only from its first instant (none on Windows). */
  public static FileAttribute<?>[] privateFile() {
    return POSIX
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PRIVATE_FILE)}
        : new FileAttribute<?>[0];
  }

  /** Creates {@code dir} (and missing parents) if needed, and sets it to {@code mode}. */
  public static Path directory(Path dir, Set<PosixFilePermission> mode) throws IOException {
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(
          dir,
          POSIX
              ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(mode)}
              : new FileAttribute<?>[0]);
    }
    if (POSIX) {
      // createDirectories' mode is cut by the umask, and an existing directory keeps its own.
      Files.setPosixFilePermissions(dir, mode);
    }
    return dir;
  }

  /** An owner-only directory (0700). */
  public static Path privateDirectory(Path dir) throws IOException {
    return directory(dir, PRIVATE_DIR);
  }

  /**
   * Lays out the work dir with its modes, and tightens what an agent of an older layout left (0644
   * records in 0755 directories): the work dir and {@code sandboxes/} 0711; {@code meta/}, {@code
   * outbox/} and the containerizers' directories 0700 with every file in them 0600; {@code
   * sandboxes/.owners} likewise; each sandbox 0700 (its content is its task's business). Links are
   * never followed. Idempotent; run at every start before anything else touches the work dir.
   */
  public static void prepare(Path work) throws IOException {
    directory(work, TRAVERSE_ONLY);
    privateDirectory(work.resolve("meta"));
    privateDirectory(work.resolve("outbox"));
    Path sandboxes = directory(work.resolve("sandboxes"), TRAVERSE_ONLY);
    if (!POSIX) {
      return;
    }
    for (String name : PRIVATE_DIRS) {
      tightenTree(work.resolve(name));
    }
    tightenTree(sandboxes.resolve(".owners"));
    try (Stream<Path> children = Files.list(sandboxes)) {
      for (Path p : children.toList()) {
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          Files.setPosixFilePermissions(p, PRIVATE_DIR);
        }
      }
    }
    try (Stream<Path> children = Files.list(work)) {
      for (Path p : children.toList()) {
        if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          Files.setPosixFilePermissions(p, PRIVATE_FILE); // agent.yaml and the like
        }
      }
    }
  }

  /** Every directory under {@code root} 0700 and every regular file 0600; links left alone. */
  static void tightenTree(Path root) throws IOException {
    if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.toList()) {
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          Files.setPosixFilePermissions(p, PRIVATE_DIR);
        } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          Files.setPosixFilePermissions(p, PRIVATE_FILE);
        }
      }
    }
  }
}
