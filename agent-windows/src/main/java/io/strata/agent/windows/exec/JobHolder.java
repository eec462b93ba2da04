package io.strata.agent.windows.exec;

import com.sun.jna.Pointer;
import com.sun.jna.platform.win32.WinBase.FILETIME;
import com.sun.jna.platform.win32.WinBase.PROCESS_INFORMATION;
import com.sun.jna.platform.win32.WinBase.STARTUPINFO;
import com.sun.jna.platform.win32.WinNT.HANDLE;
import com.sun.jna.platform.win32.WinNT.HANDLEByReference;
import io.strata.agent.windows.jna.JobConstants;
import io.strata.agent.windows.jna.JobKernel32;
import java.util.Optional;

/**
 * A long-lived process outside every task's job that holds a duplicate handle to each task's job
 * and main process, so the agent is never their only holder.
 *
 * <p>Why: a named job vanishes with its last handle, and a process's exit code with the last handle
 * to it. If the agent were the only holder, a restarted agent could neither re-open a job by name
 * nor learn the exit code of a task that ended while it was down. The holder outlives the agent (it
 * is started detached and, where allowed, broken away from the agent's own job); a restarted agent
 * duplicates the handles back from it ({@link #take}) and releases them when the task has ended
 * ({@link #release}). Its identity (pid and creation time) is recorded so that a reused pid is
 * never taken for it.
 */
public final class JobHolder implements AutoCloseable {
  private static final int ACCESS =
      JobConstants.PROCESS_DUP_HANDLE
          | JobConstants.PROCESS_QUERY_LIMITED_INFORMATION
          | JobConstants.PROCESS_TERMINATE
          | JobConstants.SYNCHRONIZE;

  /** Which process the holder is: its pid and creation time (FILETIME, 100 ns since 1601). */
  public record Identity(int pid, long created) {
    public String text() {
      return pid + ":" + created;
    }

    public static Identity parse(String text) {
      int colon = text.indexOf(':');
      if (colon < 0) {
        throw new IllegalArgumentException("not a holder identity: " + text);
      }
      return new Identity(
          Integer.parseInt(text.substring(0, colon)), Long.parseLong(text.substring(colon + 1)));
    }
  }

  private final JobKernel32 kernel;
  private final HANDLE process;
  private final Identity identity;

  private JobHolder(JobKernel32 kernel, HANDLE process, Identity identity) {
    this.kernel = kernel;
    this.process = process;
    this.identity = identity;
  }

  public Identity identity() {
    return identity;
  }

  /**
   * Starts a holder running {@code commandLine} (see {@link HolderMain}): detached, in its own
   * process group, broken away from the agent's job when that job allows it.
   */
  public static JobHolder start(JobKernel32 kernel, String commandLine) {
    int flags =
        JobConstants.DETACHED_PROCESS
            | JobConstants.CREATE_NEW_PROCESS_GROUP
            | JobConstants.CREATE_BREAKAWAY_FROM_JOB;
    PROCESS_INFORMATION info = create(kernel, commandLine, flags);
    if (info == null && kernel.lastError() == JobConstants.ERROR_ACCESS_DENIED) {
      // The agent's own job forbids breakaway: the holder then shares the agent's fate, and only
      // the tasks' own handles keep their jobs (see ShareJobHandleWithTask).
      info = create(kernel, commandLine, flags & ~JobConstants.CREATE_BREAKAWAY_FROM_JOB);
    }
    if (info == null) {
      throw Win32Exception.lastError(kernel, "starting the job handle holder", "CreateProcessW");
    }
    kernel.CloseHandle(info.hThread);
    int pid = info.dwProcessId.intValue();
    return new JobHolder(
        kernel, info.hProcess, new Identity(pid, creationTime(kernel, info.hProcess)));
  }

  private static PROCESS_INFORMATION create(JobKernel32 kernel, String commandLine, int flags) {
    PROCESS_INFORMATION info = new PROCESS_INFORMATION();
    boolean ok =
        kernel.CreateProcessW(
            null,
            (commandLine + '\0').toCharArray(),
            null,
            null,
            false,
            flags,
            null,
            null,
            new STARTUPINFO(),
            info);
    return ok ? info : null;
  }

  /** The holder recorded as {@code identity}, if that very process still runs. */
  public static Optional<JobHolder> find(JobKernel32 kernel, Identity identity) {
    HANDLE process = kernel.OpenProcess(ACCESS, false, identity.pid());
    if (process == null) {
      return Optional.empty();
    }
    boolean same;
    try {
      same =
          creationTime(kernel, process) == identity.created()
              && kernel.WaitForSingleObject(process, 0) == JobConstants.WAIT_TIMEOUT;
    } catch (Win32Exception e) {
      kernel.CloseHandle(process);
      throw e;
    }
    if (!same) {
      kernel.CloseHandle(process);
      return Optional.empty();
    }
    return Optional.of(new JobHolder(kernel, process, identity));
  }

  /** The creation time of {@code process}, as FILETIME ticks. */
  public static long creationTime(JobKernel32 kernel, HANDLE process) {
    FILETIME creation = new FILETIME();
    if (!kernel.GetProcessTimes(
        process, creation, new FILETIME(), new FILETIME(), new FILETIME())) {
      throw Win32Exception.lastError(
          kernel, "reading a process's creation time", "GetProcessTimes");
    }
    return ((long) creation.dwHighDateTime << 32) | (creation.dwLowDateTime & 0xFFFF_FFFFL);
  }

  /** Duplicates {@code handle} into the holder; returns its value there. */
  public long keep(HANDLE handle) {
    HANDLEByReference remote = new HANDLEByReference();
    if (!kernel.DuplicateHandle(
        kernel.GetCurrentProcess(),
        handle,
        process,
        remote,
        0,
        false,
        JobConstants.DUPLICATE_SAME_ACCESS)) {
      throw Win32Exception.lastError(kernel, "handing a handle to the holder", "DuplicateHandle");
    }
    return Pointer.nativeValue(remote.getValue().getPointer());
  }

  /**
   * A handle of ours to what the holder's {@code remote} handle refers to; the holder keeps its
   * own.
   */
  public HANDLE take(long remote) {
    HANDLEByReference local = new HANDLEByReference();
    if (!kernel.DuplicateHandle(
        process,
        handleOf(remote),
        kernel.GetCurrentProcess(),
        local,
        0,
        false,
        JobConstants.DUPLICATE_SAME_ACCESS)) {
      throw Win32Exception.lastError(
          kernel, "taking a handle back from the holder", "DuplicateHandle");
    }
    return local.getValue();
  }

  /** Closes the holder's {@code remote} handle. */
  public void release(long remote) {
    if (!kernel.DuplicateHandle(
        process, handleOf(remote), null, null, 0, false, JobConstants.DUPLICATE_CLOSE_SOURCE)) {
      throw Win32Exception.lastError(kernel, "releasing a handle in the holder", "DuplicateHandle");
    }
  }

  private static HANDLE handleOf(long value) {
    return new HANDLE(Pointer.createConstant(value));
  }

  /** Ends the holder process (when no task needs it any more) and forgets it. */
  public void stop() {
    if (!kernel.TerminateProcess(process, 0)) {
      throw Win32Exception.lastError(kernel, "stopping the job handle holder", "TerminateProcess");
    }
    close();
  }

  /** Closes our handle to the holder; the holder keeps running. */
  @Override
  public void close() {
    kernel.CloseHandle(process);
  }
}
