package io.strata.agent.linux.jna;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.StringArray;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * The few libc calls the Linux agent needs that Java lacks. Mapped for LP64 Linux (amd64, arm64):
 * {@code long} is 64 bits there. Functions that set {@code errno} are declared to throw {@link
 * com.sun.jna.LastErrorException}; wrap them through {@link Posix}, which turns failures into
 * exceptions with the call's name.
 */
public interface LibC extends Library {
  LibC INSTANCE = Native.load("c", LibC.class);

  int SIGKILL = 9;
  int SIGTERM = 15;
  int WNOHANG = 1;
  int O_RDONLY = 0;
  int O_WRONLY = 1;
  int O_CREAT = 0100;
  int O_APPEND = 02000;
  int O_NONBLOCK = 04000;
  int O_CLOEXEC = 02000000;
  int EFD_NONBLOCK = 04000;
  int EFD_CLOEXEC = 02000000;
  short POLLIN = 1;
  short POSIX_SPAWN_SETPGROUP = 0x02;
  short POSIX_SPAWN_SETSIGDEF = 0x04;
  short POSIX_SPAWN_SETSIGMASK = 0x08;
  short POSIX_SPAWN_SETSID = 0x80;
  int SC_CLK_TCK = 2;
  int SC_PAGESIZE = 30;
  int SC_NPROCESSORS_ONLN = 84;
  int SC_PHYS_PAGES = 85;
  long SYS_PIDFD_OPEN = 434;
  int ESRCH = 3;
  int EINTR = 4;
  int ECHILD = 10;
  int EAGAIN = 11;
  int ENOSYS = 38;
  int PR_SET_NAME = 15;
  int ENOENT = 2;
  int ENXIO = 6;
  int EACCES = 13;
  int EXDEV = 18;
  int ENOTDIR = 20;
  int ELOOP = 40;
  int O_PATH = 010000000;
  int AT_SYMLINK_NOFOLLOW = 0x100;
  int AT_EMPTY_PATH = 0x1000;
  int STATX_BASIC_STATS = 0x7ff;
  long SYS_OPENAT2 = 437;
  int PR_SET_NO_NEW_PRIVS = 38;
  int PR_GET_NO_NEW_PRIVS = 39;

  int getuid();

  int geteuid();

  int getpid();

  int kill(int pid, int signal);

  int killpg(int processGroup, int signal);

  NativeLong sysconf(int name);

  int statvfs(String path, Pointer buffer);

  int eventfd(int initialValue, int flags);

  int pipe2(int[] fds, int flags);

  int close(int fd);

  int open(String path, int flags, int mode);

  int openat(int dirFd, String path, int flags, int mode);

  int statx(int dirFd, String path, int flags, int mask, Pointer buffer);

  NativeLong pread(int fd, Pointer buffer, NativeLong count, long offset);

  Pointer fdopendir(int fd);

  Pointer readdir(Pointer dir);

  int dirfd(Pointer dir);

  int closedir(Pointer dir);

  NativeLong read(int fd, Pointer buffer, NativeLong count);

  NativeLong write(int fd, Pointer buffer, NativeLong count);

  int poll(Pointer fds, NativeLong count, int timeoutMillis);

  int waitpid(int pid, int[] status, int options);

  NativeLong syscall(NativeLong number, Object... args);

  int prctl(int option, NativeLong arg2, NativeLong arg3, NativeLong arg4, NativeLong arg5);

  int chown(String path, int uid, int gid);

  int getpwnam_r(
      String name, Pointer passwd, Pointer buffer, NativeLong size, PointerByReference result);

  int posix_spawn(
      IntByReference pid,
      String path,
      Pointer fileActions,
      Pointer attributes,
      StringArray argv,
      StringArray envp);

  int posix_spawn_file_actions_init(Pointer actions);

  int posix_spawn_file_actions_destroy(Pointer actions);

  int posix_spawn_file_actions_addopen(Pointer actions, int fd, String path, int flags, int mode);

  int posix_spawn_file_actions_adddup2(Pointer actions, int fd, int newFd);

  int posix_spawn_file_actions_addclose(Pointer actions, int fd);

  int posix_spawn_file_actions_addchdir_np(Pointer actions, String path);

  int posix_spawn_file_actions_addclosefrom_np(Pointer actions, int from);

  int posix_spawnattr_init(Pointer attributes);

  int posix_spawnattr_destroy(Pointer attributes);

  int posix_spawnattr_setflags(Pointer attributes, short flags);

  int posix_spawnattr_setsigmask(Pointer attributes, Pointer signals);

  int posix_spawnattr_setsigdefault(Pointer attributes, Pointer signals);

  int sigemptyset(Pointer set);

  int sigfillset(Pointer set);
}
