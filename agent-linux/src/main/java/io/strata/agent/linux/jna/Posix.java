package io.strata.agent.linux.jna;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.StringArray;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Typed wrappers over {@link LibC}: errors become {@link IOException}s naming the call and errno,
 * and structs are read at their LP64 glibc offsets.
 */
public final class Posix {
  private static final LibC C = LibC.INSTANCE;

  private Posix() {}

  /** A user from the password database. */
  public record User(String name, int uid, int gid, String home, String shell) {}

  /** Sizes from statvfs(3), in bytes. */
  public record FileSystemSize(long totalBytes, long availableBytes) {}

  public static int uid() {
    return C.getuid();
  }

  public static int euid() {
    return C.geteuid();
  }

  public static int pid() {
    return C.getpid();
  }

  /** Sends {@code signal}; false if the process does not exist (any more). */
  public static boolean signal(long pid, int signal) throws IOException {
    if (C.kill((int) pid, signal) == 0) {
      return true;
    }
    int errno = Native.getLastError();
    if (errno == LibC.ESRCH) {
      return false;
    }
    throw failure("kill(" + pid + ", " + signal + ")", errno);
  }

  /** Sends {@code signal} to a process group; false if the group has no process. */
  public static boolean signalGroup(long processGroup, int signal) throws IOException {
    if (C.killpg((int) processGroup, signal) == 0) {
      return true;
    }
    int errno = Native.getLastError();
    if (errno == LibC.ESRCH) {
      return false;
    }
    throw failure("killpg(" + processGroup + ", " + signal + ")", errno);
  }

  public static long sysconf(int name) {
    return C.sysconf(name).longValue();
  }

  public static long clockTicksPerSecond() {
    return sysconf(LibC.SC_CLK_TCK);
  }

  public static long onlineCpus() {
    return sysconf(LibC.SC_NPROCESSORS_ONLN);
  }

  public static long physicalMemoryBytes() {
    return sysconf(LibC.SC_PHYS_PAGES) * sysconf(LibC.SC_PAGESIZE);
  }

  public static FileSystemSize statvfs(Path path) throws IOException {
    try (Memory buf = new Memory(256)) {
      buf.clear();
      if (C.statvfs(path.toString(), buf) != 0) {
        throw failure("statvfs(" + path + ")", Native.getLastError());
      }
      long fragment = buf.getLong(8);
      long blocks = buf.getLong(16);
      long available = buf.getLong(32);
      return new FileSystemSize(blocks * fragment, available * fragment);
    }
  }

  /** Looks a user up by name (getpwnam_r); empty if there is no such user. */
  public static Optional<User> user(String name) throws IOException {
    try (Memory pw = new Memory(64);
        Memory buf = new Memory(16384)) {
      PointerByReference result = new PointerByReference();
      int rc = C.getpwnam_r(name, pw, buf, new NativeLong(buf.size()), result);
      if (rc != 0) {
        throw failure("getpwnam_r(" + name + ")", rc);
      }
      if (result.getValue() == null) {
        return Optional.empty();
      }
      return Optional.of(
          new User(
              pw.getPointer(0).getString(0),
              pw.getInt(16),
              pw.getInt(20),
              stringAt(pw, 32),
              stringAt(pw, 40)));
    }
  }

  private static String stringAt(Pointer struct, long offset) {
    Pointer p = struct.getPointer(offset);
    return p == null ? "" : p.getString(0);
  }

  public static void chown(Path path, int uid, int gid) throws IOException {
    if (C.chown(path.toString(), uid, gid) != 0) {
      throw failure("chown(" + path + ")", Native.getLastError());
    }
  }

  /** A close-on-exec pipe: {@code [read, write]}. */
  public static int[] pipe() throws IOException {
    int[] fds = new int[2];
    if (C.pipe2(fds, LibC.O_CLOEXEC) != 0) {
      throw failure("pipe2", Native.getLastError());
    }
    return fds;
  }

  public static int eventFd() throws IOException {
    int fd = C.eventfd(0, LibC.EFD_CLOEXEC | LibC.EFD_NONBLOCK);
    if (fd < 0) {
      throw failure("eventfd", Native.getLastError());
    }
    return fd;
  }

  public static void close(int fd) {
    C.close(fd);
  }

  /** Writes an 8-byte counter increment (eventfd). */
  public static void signalEventFd(int fd) throws IOException {
    try (Memory one = new Memory(8)) {
      one.setLong(0, 1);
      if (C.write(fd, one, new NativeLong(8)).longValue() != 8) {
        int errno = Native.getLastError();
        if (errno != LibC.EAGAIN) {
          throw failure("write(eventfd)", errno);
        }
      }
    }
  }

  /** Drains an eventfd (non-blocking). */
  public static void drainEventFd(int fd) {
    try (Memory buf = new Memory(8)) {
      C.read(fd, buf, new NativeLong(8));
    }
  }

  /**
   * Reads one line (up to {@code max} bytes) from a blocking fd; the text before the newline, or
   * everything read if the writers closed it first (empty at once-closed).
   */
  public static String readLine(int fd, int max) throws IOException {
    byte[] out = new byte[max];
    int n = 0;
    try (Memory one = new Memory(1)) {
      while (n < max) {
        long got = C.read(fd, one, new NativeLong(1)).longValue();
        if (got == 0) {
          break;
        }
        if (got < 0) {
          int errno = Native.getLastError();
          if (errno == LibC.EINTR) {
            continue;
          }
          throw failure("read", errno);
        }
        byte b = one.getByte(0);
        if (b == '\n') {
          break;
        }
        out[n++] = b;
      }
    }
    return new String(out, 0, n, StandardCharsets.UTF_8);
  }

  /**
   * pidfd_open(2): a descriptor that becomes readable when the process exits, for any process in
   * our pid namespace (not only children). Empty if the process is already gone; throws {@link
   * UnsupportedOperationException} on kernels older than 5.3.
   */
  public static Optional<Integer> pidFd(long pid) throws IOException {
    long fd = C.syscall(new NativeLong(LibC.SYS_PIDFD_OPEN), (int) pid, 0).longValue();
    if (fd >= 0) {
      return Optional.of((int) fd);
    }
    int errno = Native.getLastError();
    if (errno == LibC.ESRCH) {
      return Optional.empty();
    }
    if (errno == LibC.ENOSYS) {
      throw new UnsupportedOperationException("pidfd_open needs Linux 5.3 or newer");
    }
    throw failure("pidfd_open(" + pid + ")", errno);
  }

  /**
   * poll(2) for readability on {@code fds}, at most {@code timeoutMillis} (-1: forever). Returns
   * the indexes of the descriptors that are readable or hung up.
   */
  public static List<Integer> pollReadable(int[] fds, int timeoutMillis) throws IOException {
    try (Memory set = new Memory(8L * Math.max(1, fds.length))) {
      for (int i = 0; i < fds.length; i++) {
        set.setInt(8L * i, fds[i]);
        set.setShort(8L * i + 4, LibC.POLLIN);
        set.setShort(8L * i + 6, (short) 0);
      }
      int n = C.poll(set, new NativeLong(fds.length), timeoutMillis);
      if (n < 0) {
        int errno = Native.getLastError();
        if (errno == LibC.EINTR) {
          return List.of();
        }
        throw failure("poll", errno);
      }
      List<Integer> ready = new ArrayList<>();
      for (int i = 0; i < fds.length && ready.size() < n; i++) {
        if (set.getShort(8L * i + 6) != 0) {
          ready.add(i);
        }
      }
      return ready;
    }
  }

  /** Reaps a child if it has exited (waitpid WNOHANG); false if it is not (or no longer) ours. */
  public static boolean reap(long pid) {
    int[] status = new int[1];
    return C.waitpid((int) pid, status, LibC.WNOHANG) == pid;
  }

  /**
   * What {@link #spawn} starts. Descriptors 0, 1 and 2 are opened on the given files; the
   * descriptors in {@code inherited} become the child's 3, 4, ... in that order.
   */
  public record SpawnRequest(
      String path,
      List<String> argv,
      Map<String, String> environment,
      Path stdin,
      Path stdout,
      Path stderr,
      List<Integer> inherited,
      boolean newSession) {
    public SpawnRequest {
      inherited = List.copyOf(inherited);
      for (int fd : inherited) {
        // Duplicated in order: a source among the targets could be overwritten before its turn
        // (never so in a JVM, whose low descriptors are taken from the start).
        if (fd < 3 + inherited.size()) {
          throw new IllegalArgumentException("cannot pass descriptor " + fd + " on: too low");
        }
      }
    }

    /** With {@code extraFd} as the child's descriptor 3, when not negative. */
    public SpawnRequest(
        String path,
        List<String> argv,
        Map<String, String> environment,
        Path stdin,
        Path stdout,
        Path stderr,
        int extraFd,
        boolean newSession) {
      this(
          path,
          argv,
          environment,
          stdin,
          stdout,
          stderr,
          extraFd >= 0 ? List.of(extraFd) : List.of(),
          newSession);
    }
  }

  /**
   * posix_spawn(3): starts {@code request.path} with exactly the given argv and environment, its
   * standard streams opened on the given files (appended), every other descriptor closed (except
   * the {@code inherited} ones, duplicated to descriptors 3, 4, ...), signal mask empty and
   * dispositions default, and in a new session when asked (so that it survives its agent and no
   * terminal signal reaches it). The child is ours: reap it with {@link #reap}.
   */
  public static long spawn(SpawnRequest request) throws IOException {
    return spawnIn(null, request);
  }

  /**
   * {@link #spawn} with the child's working directory set to {@code cwd} (when not null).
   *
   * <p>Every child is born with NoNewPrivs: the calling thread sets it on itself first ({@link
   * #noNewPrivileges}), and a child inherits it from the thread that spawned it, through every exec
   * after. Nothing a task runs can gain privileges by exec (setuid binaries, file capabilities),
   * whoever it runs as.
   */
  public static long spawnIn(Path cwd, SpawnRequest request) throws IOException {
    LibC c = C;
    // No blocking call (where a virtual thread could change carriers) between this and the spawn.
    noNewPrivileges();
    try (Memory actions = new Memory(512);
        Memory attributes = new Memory(1024);
        Memory empty = new Memory(256);
        Memory all = new Memory(256)) {
      check("posix_spawn_file_actions_init", c.posix_spawn_file_actions_init(actions));
      check("posix_spawnattr_init", c.posix_spawnattr_init(attributes));
      try {
        check(
            "addopen stdin",
            c.posix_spawn_file_actions_addopen(
                actions, 0, request.stdin().toString(), LibC.O_RDONLY, 0));
        check(
            "addopen stdout",
            c.posix_spawn_file_actions_addopen(
                actions,
                1,
                request.stdout().toString(),
                LibC.O_WRONLY | LibC.O_CREAT | LibC.O_APPEND,
                0640));
        check(
            "addopen stderr",
            c.posix_spawn_file_actions_addopen(
                actions,
                2,
                request.stderr().toString(),
                LibC.O_WRONLY | LibC.O_CREAT | LibC.O_APPEND,
                0640));
        if (cwd != null) {
          check("addchdir_np", c.posix_spawn_file_actions_addchdir_np(actions, cwd.toString()));
        }
        int keepFrom = 3;
        for (int fd : request.inherited()) {
          check("adddup2", c.posix_spawn_file_actions_adddup2(actions, fd, keepFrom++));
        }
        // The JVM holds descriptors without close-on-exec (sockets, jars): a task must never
        // inherit them, or a restarted agent could not bind its port again.
        check("addclosefrom_np", c.posix_spawn_file_actions_addclosefrom_np(actions, keepFrom));
        c.sigemptyset(empty);
        c.sigfillset(all);
        check("setsigmask", c.posix_spawnattr_setsigmask(attributes, empty));
        check("setsigdefault", c.posix_spawnattr_setsigdefault(attributes, all));
        short flags = (short) (LibC.POSIX_SPAWN_SETSIGMASK | LibC.POSIX_SPAWN_SETSIGDEF);
        if (request.newSession()) {
          flags |= LibC.POSIX_SPAWN_SETSID;
        }
        check("setflags", c.posix_spawnattr_setflags(attributes, flags));
        IntByReference pid = new IntByReference();
        String[] env =
            request.environment().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        int rc =
            c.posix_spawn(
                pid,
                request.path(),
                actions,
                attributes,
                new StringArray(request.argv().toArray(String[]::new)),
                new StringArray(env));
        if (rc != 0) {
          throw failure("posix_spawn(" + request.path() + ")", rc);
        }
        return pid.getValue();
      } finally {
        c.posix_spawn_file_actions_destroy(actions);
        c.posix_spawnattr_destroy(attributes);
      }
    }
  }

  /**
   * Sets NoNewPrivs on the calling thread (prctl PR_SET_NO_NEW_PRIVS; one way, per thread,
   * inherited by its children). The agent's own threads exec nothing, so it costs the agent
   * nothing.
   */
  public static void noNewPrivileges() throws IOException {
    NativeLong zero = new NativeLong(0);
    if (C.prctl(LibC.PR_SET_NO_NEW_PRIVS, new NativeLong(1), zero, zero, zero) != 0) {
      throw failure("prctl(PR_SET_NO_NEW_PRIVS)", Native.getLastError());
    }
  }

  /** Whether glibc has posix_spawn_file_actions_addclosefrom_np (2.34+). */
  public static boolean canSpawn() {
    try {
      com.sun.jna.NativeLibrary.getInstance("c")
          .getFunction("posix_spawn_file_actions_addclosefrom_np");
      return true;
    } catch (UnsatisfiedLinkError e) {
      return false;
    }
  }

  private static void check(String call, int rc) throws IOException {
    if (rc != 0) {
      throw failure(call, rc);
    }
  }

  static IOException failure(String call, int errno) {
    return new IOException(call + " failed: errno " + errno + " (" + strerror(errno) + ")");
  }

  private static String strerror(int errno) {
    return switch (errno) {
      case 1 -> "operation not permitted";
      case 2 -> "no such file or directory";
      case 3 -> "no such process";
      case 4 -> "interrupted";
      case 5 -> "I/O error";
      case 9 -> "bad file descriptor";
      case 10 -> "no child processes";
      case 11 -> "try again";
      case 12 -> "out of memory";
      case 13 -> "permission denied";
      case 16 -> "device or resource busy";
      case 17 -> "file exists";
      case 20 -> "not a directory";
      case 22 -> "invalid argument";
      case 24 -> "too many open files";
      case 28 -> "no space left on device";
      case 38 -> "function not implemented";
      default -> "see errno(3)";
    };
  }
}
