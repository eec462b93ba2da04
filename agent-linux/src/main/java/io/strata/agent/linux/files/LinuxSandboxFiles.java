package io.strata.agent.linux.files;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import io.strata.agent.files.SandboxFiles;
import io.strata.agent.files.SandboxPath;
import io.strata.agent.linux.jna.LibC;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@link SandboxFiles} on Linux, with no window between check and use:
 *
 * <ol>
 *   <li>The sandbox directory is opened (its own path is the agent's, trusted), then the requested
 *       path is resolved beneath that descriptor with openat2(2) and {@code RESOLVE_BENEATH |
 *       RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV}: the kernel refuses {@code
 *       ..} out of it, any symbolic link in any component, and any other mount. On kernels without
 *       openat2 (before 5.6, {@code ENOSYS}) the same is done one component at a time with
 *       openat(2) and {@code O_NOFOLLOW}, comparing each component's device with the sandbox's.
 *   <li>That open is {@code O_PATH}: it opens nothing for reading, so a FIFO cannot block it and a
 *       device node's driver is never called. fstat (statx) of that descriptor decides: a directory
 *       is listed, a regular file with one link is read, anything else is refused.
 *   <li>The descriptor checked is re-opened for reading through {@code /proc/self/fd/N} (the very
 *       inode, not a path looked up again; {@code O_NONBLOCK}), its inode compared once more, and
 *       read with pread(2).
 * </ol>
 *
 * Hard links: a regular file with more than one link is refused, because its other name may lie
 * outside the sandbox (a task running as root could link {@code /etc/shadow} into it when they
 * share a file system) and nothing tells where. Files a task hard-links inside its own sandbox are
 * refused too; that is the price.
 */
public final class LinuxSandboxFiles implements SandboxFiles {
  private static final LibC C = LibC.INSTANCE;
  private static final boolean ARM =
      System.getProperty("os.arch").toLowerCase(Locale.ROOT).startsWith("aarch64");
  private static final int O_DIRECTORY = ARM ? 040000 : 0200000;
  private static final int O_NOFOLLOW = ARM ? 0100000 : 0400000;
  private static final long RESOLVE_NO_XDEV = 0x01;
  private static final long RESOLVE_NO_MAGICLINKS = 0x02;
  private static final long RESOLVE_NO_SYMLINKS = 0x04;
  private static final long RESOLVE_BENEATH = 0x08;
  private static final int ENAMETOOLONG = 36;
  private static final int S_IFMT = 0170000;
  private static final int S_IFREG = 0100000;
  private static final int S_IFDIR = 0040000;
  private static final int S_IFLNK = 0120000;

  private volatile boolean openat2;

  /** Uses openat2 where the kernel has it, the component walk where it has not. */
  public LinuxSandboxFiles() {
    this(true);
  }

  /**
   * @param openat2 false: always walk component by component (the fallback; tests run both)
   */
  public LinuxSandboxFiles(boolean openat2) {
    this.openat2 = openat2;
  }

  @Override
  public Result read(Path sandbox, String relative, long offset, int maxLength) throws IOException {
    Optional<List<String>> names = SandboxPath.components(relative);
    if (names.isEmpty()) {
      return new Refused("path '" + relative + "' leaves the sandbox");
    }
    int root =
        C.open(sandbox.toString(), LibC.O_RDONLY | O_DIRECTORY | O_NOFOLLOW | LibC.O_CLOEXEC, 0);
    if (root < 0) {
      int errno = Native.getLastError();
      if (errno == LibC.ENOENT) {
        return new Missing("no such sandbox");
      }
      throw failure("open(" + sandbox + ")", errno);
    }
    try {
      if (names.get().isEmpty()) {
        return list(root, true);
      }
      Stat top = stat(root);
      Opened opened = openat2 ? beneath(root, names.get()) : walk(root, top, names.get());
      if (opened.fd < 0) {
        return refusal(opened.errno, relative);
      }
      try {
        return serve(opened.fd, relative, offset, maxLength);
      } finally {
        C.close(opened.fd);
      }
    } finally {
      C.close(root);
    }
  }

  /** A descriptor ({@code O_PATH}), or -1 with the errno that refused it. */
  private record Opened(int fd, int errno) {}

  private Opened beneath(int root, List<String> names) throws IOException {
    try (Memory how = new Memory(24)) {
      how.setLong(0, LibC.O_PATH | O_NOFOLLOW | LibC.O_CLOEXEC);
      how.setLong(8, 0);
      how.setLong(
          16, RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV);
      String path = String.join("/", names);
      for (int attempt = 0; ; attempt++) {
        long fd =
            C.syscall(new NativeLong(LibC.SYS_OPENAT2), root, path, how, new NativeLong(24))
                .longValue();
        if (fd >= 0) {
          return new Opened((int) fd, 0);
        }
        int errno = Native.getLastError();
        if (errno == LibC.ENOSYS) {
          openat2 = false;
          return walk(root, stat(root), names);
        }
        // EAGAIN: a rename raced the lookup (RESOLVE_BENEATH then gives up rather than guess).
        if (errno != LibC.EAGAIN || attempt >= 3) {
          return new Opened(-1, errno);
        }
      }
    }
  }

  /**
   * The fallback: openat(2) one name at a time, never following a link, never leaving the file
   * system.
   */
  private static Opened walk(int root, Stat top, List<String> names) throws IOException {
    int current = C.openat(root, ".", LibC.O_PATH | O_DIRECTORY | LibC.O_CLOEXEC, 0);
    if (current < 0) {
      throw failure("openat(.)", Native.getLastError());
    }
    for (int i = 0; i < names.size(); i++) {
      boolean last = i == names.size() - 1;
      int flags = LibC.O_PATH | O_NOFOLLOW | LibC.O_CLOEXEC | (last ? 0 : O_DIRECTORY);
      int next = C.openat(current, names.get(i), flags, 0);
      int errno = Native.getLastError();
      if (next < 0 && errno == LibC.ENOTDIR && isLink(current, names.get(i))) {
        errno = LibC.ELOOP;
      }
      C.close(current);
      if (next < 0) {
        return new Opened(-1, errno);
      }
      Stat s = stat(next);
      if (s.devMajor != top.devMajor || s.devMinor != top.devMinor) {
        C.close(next);
        return new Opened(-1, LibC.EXDEV);
      }
      current = next;
    }
    return new Opened(current, 0);
  }

  private static boolean isLink(int dir, String name) {
    try (Memory buf = new Memory(256)) {
      return C.statx(dir, name, LibC.AT_SYMLINK_NOFOLLOW, LibC.STATX_BASIC_STATS, buf) == 0
          && (Stat.of(buf).mode & S_IFMT) == S_IFLNK;
    }
  }

  private static Result refusal(int errno, String relative) throws IOException {
    return switch (errno) {
      case LibC.ENOENT, LibC.ENOTDIR, ENAMETOOLONG ->
          new Missing("no file '" + relative + "' in the sandbox");
      case LibC.ELOOP, LibC.EXDEV, LibC.EAGAIN ->
          new Refused(
              "path '" + relative + "' leaves the sandbox (a symbolic link or another mount)");
      case LibC.EACCES -> new Refused("'" + relative + "' is not readable");
      default -> throw failure("openat2(" + relative + ")", errno);
    };
  }

  private static Result serve(int path, String relative, long offset, int maxLength)
      throws IOException {
    Stat s = stat(path);
    int type = s.mode & S_IFMT;
    if (type == S_IFDIR) {
      int dir = reopen(path, LibC.O_RDONLY | O_DIRECTORY | LibC.O_CLOEXEC);
      return dir < 0 ? new Missing("the directory is gone") : list(dir, false);
    }
    if (type != S_IFREG) {
      return new Refused(
          "'"
              + relative
              + "' is not a regular file ("
              + (type == S_IFLNK ? "a symbolic link" : "a FIFO, socket or device")
              + ")");
    }
    if (s.nlink > 1) {
      return new Refused("'" + relative + "' has other names (hard links): not served");
    }
    int fd = reopen(path, LibC.O_RDONLY | LibC.O_NONBLOCK | LibC.O_CLOEXEC);
    if (fd < 0) {
      return new Missing("no file '" + relative + "' in the sandbox");
    }
    try {
      Stat opened = stat(fd);
      if (opened.ino != s.ino || (opened.mode & S_IFMT) != S_IFREG || opened.nlink > 1) {
        return new Refused("'" + relative + "' changed while it was opened");
      }
      return new FileData(
          opened.size,
          pread(fd, offset, (int) Math.max(0, Math.min(maxLength, opened.size - offset))));
    } finally {
      C.close(fd);
    }
  }

  /** The inode {@code pathFd} refers to, opened anew for I/O (not looked up by name again). */
  private static int reopen(int pathFd, int flags) {
    return C.open("/proc/self/fd/" + pathFd, flags, 0);
  }

  private static byte[] pread(int fd, long offset, int length) throws IOException {
    if (length == 0) {
      return new byte[0];
    }
    try (Memory buf = new Memory(length)) {
      int done = 0;
      while (done < length) {
        long n =
            C.pread(fd, buf.share(done), new NativeLong(length - done), offset + done).longValue();
        if (n == 0) {
          break;
        }
        if (n < 0) {
          int errno = Native.getLastError();
          if (errno == LibC.EINTR) {
            continue;
          }
          throw failure("pread", errno);
        }
        done += (int) n;
      }
      return buf.getByteArray(0, done);
    }
  }

  /**
   * Lists an open directory descriptor (closed here), describing each entry without following it.
   */
  private static Result list(int fd, boolean borrowed) throws IOException {
    int own = borrowed ? C.openat(fd, ".", LibC.O_RDONLY | O_DIRECTORY | LibC.O_CLOEXEC, 0) : fd;
    if (own < 0) {
      throw failure("openat(.)", Native.getLastError());
    }
    Pointer dir = C.fdopendir(own);
    if (dir == null) {
      int errno = Native.getLastError();
      C.close(own);
      throw failure("fdopendir", errno);
    }
    List<Entry> entries = new ArrayList<>();
    try (Memory buf = new Memory(256)) {
      int dirFd = C.dirfd(dir);
      for (Pointer d = C.readdir(dir);
          d != null && entries.size() < MAX_ENTRIES;
          d = C.readdir(dir)) {
        String name = d.getString(19);
        if (name.equals(".") || name.equals("..")) {
          continue;
        }
        if (C.statx(dirFd, name, LibC.AT_SYMLINK_NOFOLLOW, LibC.STATX_BASIC_STATS, buf) != 0) {
          continue;
        }
        Stat s = Stat.of(buf);
        int type = s.mode & S_IFMT;
        entries.add(
            new Entry(
                name,
                type == S_IFREG
                    ? "file"
                    : type == S_IFDIR ? "directory" : type == S_IFLNK ? "symlink" : "other",
                type == S_IFREG ? s.size : 0));
      }
    } finally {
      C.closedir(dir);
    }
    entries.sort(Comparator.comparing(Entry::name));
    return new Listing(entries);
  }

  /** What statx(2) tells of a file, at its fixed (architecture-independent) offsets. */
  private record Stat(int mode, int nlink, long ino, long size, int devMajor, int devMinor) {
    static Stat of(Pointer b) {
      return new Stat(
          b.getShort(28) & 0xffff,
          b.getInt(16),
          b.getLong(32),
          b.getLong(40),
          b.getInt(136),
          b.getInt(140));
    }
  }

  private static Stat stat(int fd) throws IOException {
    try (Memory buf = new Memory(256)) {
      if (C.statx(fd, "", LibC.AT_EMPTY_PATH, LibC.STATX_BASIC_STATS, buf) != 0) {
        throw failure("statx", Native.getLastError());
      }
      return Stat.of(buf);
    }
  }

  private static IOException failure(String call, int errno) {
    return new IOException(call + " failed: errno " + errno);
  }
}
