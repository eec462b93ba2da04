package io.strata.agent.files;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads files beneath a sandbox directory on behalf of the agent's HTTP endpoint, which runs as
 * root while the sandbox belongs to a task that may be hostile and changes it concurrently.
 *
 * <p>Every implementation promises, for one call of {@link #read}:
 *
 * <ul>
 *   <li>Only what lies beneath {@code sandbox} is served: {@code ..}, absolute paths and NUL are
 *       refused ({@link SandboxPath}), and no symbolic link (or Windows reparse point) is followed
 *       in any component, the last one included.
 *   <li>Only regular files with a single name (no other hard link) are read, and directories
 *       listed. FIFOs, sockets and device nodes are refused without being opened for reading, so a
 *       call never blocks on them and never triggers a device's side effect.
 *   <li>Bytes are read from the object that was checked, not from a path looked up again.
 * </ul>
 *
 * Implementations state where they fall short of this (the portable one does: see {@link
 * PortableSandboxFiles}). Calls may come from many threads at once; none blocks longer than reading
 * a regular file or a directory takes.
 */
public interface SandboxFiles {
  /** At most this many entries are listed from one directory. */
  int MAX_ENTRIES = 10_000;

  /**
   * What {@code relative} names beneath {@code sandbox}: a file's bytes from {@code offset} (at
   * most {@code maxLength}), a directory's entries, or why not.
   *
   * @param sandbox the sandbox directory (the agent's own path, trusted)
   * @param relative the requested path, as sent by a client (untrusted)
   * @throws IOException when the file system fails otherwise (an I/O error, not a refusal)
   */
  Result read(Path sandbox, String relative, long offset, int maxLength) throws IOException;

  /** The answer of {@link #read}. */
  sealed interface Result {}

  /**
   * A regular file's bytes.
   *
   * @param size the file's size when it was opened
   * @param data the bytes from the offset asked for (empty past the end)
   */
  record FileData(long size, byte[] data) implements Result {}

  /** A directory's entries, sorted by name (at most {@link #MAX_ENTRIES}). */
  record Listing(List<Entry> entries) implements Result {
    public Listing {
      entries = List.copyOf(entries);
    }
  }

  /** Nothing of that name (or a component is not a directory). */
  record Missing(String detail) implements Result {}

  /** There is something, but it is not served: the detail says why. */
  record Refused(String detail) implements Result {}

  /**
   * One directory entry, described without following it.
   *
   * @param type {@code file}, {@code directory}, {@code symlink} or {@code other} (FIFO, socket,
   *     device)
   * @param size bytes for a file, 0 otherwise
   */
  record Entry(String name, String type, long size) {
    public boolean directory() {
      return type.equals("directory");
    }
  }
}
