package io.strata.agent.windows.exec;

import com.sun.jna.Memory;
import com.sun.jna.Structure;
import com.sun.jna.platform.win32.BaseTSD.ULONG_PTR;
import com.sun.jna.platform.win32.WinBase.PROCESS_INFORMATION;
import com.sun.jna.platform.win32.WinBase.SECURITY_ATTRIBUTES;
import com.sun.jna.platform.win32.WinBase.STARTUPINFO;
import com.sun.jna.platform.win32.WinNT.HANDLE;
import com.sun.jna.platform.win32.WinNT.HANDLEByReference;
import io.strata.agent.windows.jna.JobConstants;
import io.strata.agent.windows.jna.JobKernel32;
import io.strata.agent.windows.jna.JobStructures;
import io.strata.agent.windows.plan.EnvironmentBlock;
import io.strata.agent.windows.plan.ExitCodes;
import io.strata.agent.windows.plan.JobOperation;
import io.strata.agent.windows.plan.JobOperation.AddLimits;
import io.strata.agent.windows.plan.JobOperation.AssignToJob;
import io.strata.agent.windows.plan.JobOperation.AssociateCompletionPort;
import io.strata.agent.windows.plan.JobOperation.CreateJob;
import io.strata.agent.windows.plan.JobOperation.CreateSuspendedProcess;
import io.strata.agent.windows.plan.JobOperation.OpenOutputFile;
import io.strata.agent.windows.plan.JobOperation.ResumeProcess;
import io.strata.agent.windows.plan.JobOperation.SetCpuRateHardCap;
import io.strata.agent.windows.plan.JobOperation.ShareJobHandleWithTask;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thin executor of a launch plan: performs each {@link JobOperation} with one or two kernel32
 * calls, in order. On any failure it undoes what it did (terminates the half-created process and
 * job, closes every handle it opened) and throws a {@link Win32Exception} naming the operation and
 * the Win32 error. On success it keeps only the job and process handles.
 *
 * <p>Launches are serialized: the sandbox file handles are inheritable while CreateProcessW runs,
 * and a concurrent launch must not leak them into another task.
 */
public final class JobOperationExecutor {
  private static final Logger LOG = LoggerFactory.getLogger(JobOperationExecutor.class);
  private static final Object INHERITABLE_HANDLES = new Object();
  static final HANDLE INVALID_HANDLE_VALUE = new HANDLE(com.sun.jna.Pointer.createConstant(-1L));

  private final JobKernel32 kernel;
  private final HANDLE completionPort;

  public JobOperationExecutor(JobKernel32 kernel, HANDLE completionPort) {
    this.kernel = kernel;
    this.completionPort = completionPort;
  }

  /** What a launch has created so far: the cleanup list if a later step fails. */
  private static final class Progress {
    String jobName;
    long completionKey;
    HANDLE job;
    HANDLE stdout;
    HANDLE stderr;
    HANDLE process;
    HANDLE thread;
    int pid;
    boolean ownsJob;
  }

  /** Performs {@code ops}; the plan must create a job and a process and resume it. */
  public RunningJob perform(List<JobOperation> ops) {
    return perform(ops, null, null);
  }

  /**
   * Performs {@code ops} in an existing job (the plan has no {@link CreateJob}): used to run a
   * command inside a task's job. On failure the existing job is left alone.
   */
  public RunningJob perform(List<JobOperation> ops, String jobName, HANDLE existingJob) {
    synchronized (INHERITABLE_HANDLES) {
      Progress p = new Progress();
      p.job = existingJob;
      p.jobName = jobName;
      try {
        for (JobOperation op : ops) {
          apply(op, p);
        }
        if (p.job == null || p.process == null) {
          throw new IllegalArgumentException("a launch plan must create a job and a process");
        }
      } catch (RuntimeException e) {
        undo(p, e);
        throw e;
      }
      closeAfterLaunch(p);
      return new RunningJob(p.jobName, p.completionKey, p.job, p.process, p.pid);
    }
  }

  private void apply(JobOperation op, Progress p) {
    String ctx = op.describe();
    switch (op) {
      case CreateJob create -> {
        kernel.SetLastError(0); // so ERROR_ALREADY_EXISTS below is this call's, not a stale one
        HANDLE job = kernel.CreateJobObjectW(null, create.name());
        if (job == null) {
          throw Win32Exception.lastError(
              kernel, "creating job " + create.name(), "CreateJobObjectW");
        }
        p.job = job;
        p.jobName = create.name();
        p.ownsJob = true;
        if (kernel.lastError() == JobConstants.ERROR_ALREADY_EXISTS) {
          // CreateJobObjectW opened someone else's job of that name: never adopt it.
          throw new Win32Exception(
              "creating job " + create.name(),
              "CreateJobObjectW",
              JobConstants.ERROR_ALREADY_EXISTS,
              "a job object with this name already exists");
        }
      }
      case AssociateCompletionPort associate -> {
        JobStructures.AssociateCompletionPort info = new JobStructures.AssociateCompletionPort();
        info.CompletionKey = new ULONG_PTR(associate.key());
        info.CompletionPort = completionPort;
        set(p.job, JobConstants.JOB_OBJECT_ASSOCIATE_COMPLETION_PORT_INFORMATION, info, ctx);
        p.completionKey = associate.key();
      }
      case AddLimits limits -> JobLimits.add(kernel, p.job, limits, ctx);
      case SetCpuRateHardCap cap -> {
        JobStructures.CpuRateControlInformation info =
            new JobStructures.CpuRateControlInformation();
        info.ControlFlags =
            JobConstants.JOB_OBJECT_CPU_RATE_CONTROL_ENABLE
                | JobConstants.JOB_OBJECT_CPU_RATE_CONTROL_HARD_CAP;
        info.CpuRate = cap.cpuRate();
        set(p.job, JobConstants.JOB_OBJECT_CPU_RATE_CONTROL_INFORMATION, info, ctx);
      }
      case OpenOutputFile file -> {
        HANDLE handle = openInheritable(file.path(), ctx);
        switch (file.stream()) {
          case STDOUT -> p.stdout = handle;
          case STDERR -> p.stderr = handle;
        }
      }
      case CreateSuspendedProcess create -> createProcess(create, p, ctx);
      case AssignToJob assign -> {
        if (!kernel.AssignProcessToJobObject(p.job, p.process)) {
          throw Win32Exception.lastError(kernel, ctx, "AssignProcessToJobObject");
        }
      }
      case ShareJobHandleWithTask share -> {
        HANDLEByReference inTask = new HANDLEByReference();
        if (!kernel.DuplicateHandle(
            kernel.GetCurrentProcess(), p.job, p.process, inTask, share.access(), false, 0)) {
          throw Win32Exception.lastError(kernel, ctx, "DuplicateHandle");
        }
        // The duplicate belongs to the task's process: it closes when that process exits.
      }
      case ResumeProcess resume -> {
        if (kernel.ResumeThread(p.thread) == -1) {
          throw Win32Exception.lastError(kernel, ctx, "ResumeThread");
        }
      }
    }
  }

  private void set(HANDLE job, int infoClass, Structure info, String ctx) {
    if (!kernel.SetInformationJobObject(job, infoClass, info, info.size())) {
      throw Win32Exception.lastError(kernel, ctx, "SetInformationJobObject");
    }
  }

  private HANDLE openInheritable(String path, String ctx) {
    SECURITY_ATTRIBUTES inheritable = new SECURITY_ATTRIBUTES();
    inheritable.bInheritHandle = true;
    HANDLE handle =
        kernel.CreateFileW(
            path,
            JobConstants.FILE_APPEND_DATA,
            JobConstants.FILE_SHARE_READ
                | JobConstants.FILE_SHARE_WRITE
                | JobConstants.FILE_SHARE_DELETE,
            inheritable,
            JobConstants.OPEN_ALWAYS,
            JobConstants.FILE_ATTRIBUTE_NORMAL,
            null);
    if (handle == null || INVALID_HANDLE_VALUE.equals(handle)) {
      throw Win32Exception.lastError(kernel, ctx, "CreateFileW");
    }
    return handle;
  }

  private void createProcess(CreateSuspendedProcess create, Progress p, String ctx) {
    if ((create.creationFlags() & JobConstants.CREATE_SUSPENDED) == 0) {
      throw new IllegalArgumentException("a task process must be created suspended");
    }
    STARTUPINFO startup = new STARTUPINFO();
    startup.dwFlags = JobConstants.STARTF_USESTDHANDLES;
    startup.hStdInput = null;
    startup.hStdOutput = p.stdout;
    startup.hStdError = p.stderr;
    // UTF-16LE bytes, whatever the host's wchar_t: this is what CREATE_UNICODE_ENVIRONMENT reads.
    byte[] env =
        new String(EnvironmentBlock.encode(create.environment()))
            .getBytes(StandardCharsets.UTF_16LE);
    Memory block = new Memory(env.length);
    block.write(0, env, 0, env.length);
    char[] commandLine = (create.commandLine() + '\0').toCharArray();
    PROCESS_INFORMATION info = new PROCESS_INFORMATION();
    boolean ok =
        kernel.CreateProcessW(
            null,
            commandLine,
            null,
            null,
            true,
            create.creationFlags(),
            block,
            create.workingDirectory(),
            startup,
            info);
    if (!ok) {
      throw Win32Exception.lastError(kernel, ctx, "CreateProcessW");
    }
    p.process = info.hProcess;
    p.thread = info.hThread;
    p.pid = info.dwProcessId == null ? 0 : info.dwProcessId.intValue();
  }

  /** Undoes a half-done launch; cleanup failures ride along as suppressed exceptions. */
  private void undo(Progress p, RuntimeException cause) {
    if (p.process != null && !kernel.TerminateProcess(p.process, ExitCodes.TERMINATED_BY_AGENT)) {
      cause.addSuppressed(
          Win32Exception.lastError(kernel, "cleaning up pid " + p.pid, "TerminateProcess"));
    }
    if (p.ownsJob && !kernel.TerminateJobObject(p.job, ExitCodes.TERMINATED_BY_AGENT)) {
      cause.addSuppressed(
          Win32Exception.lastError(kernel, "cleaning up job " + p.jobName, "TerminateJobObject"));
    }
    HANDLE ownJob = p.ownsJob ? p.job : null;
    for (HANDLE h : new HANDLE[] {p.thread, p.process, p.stdout, p.stderr, ownJob}) {
      if (h != null && !kernel.CloseHandle(h)) {
        cause.addSuppressed(Win32Exception.lastError(kernel, "cleaning up", "CloseHandle"));
      }
    }
  }

  /** Closes handles the task no longer needs from us; a failure is logged, the task runs on. */
  private void closeAfterLaunch(Progress p) {
    for (HANDLE h : new HANDLE[] {p.thread, p.stdout, p.stderr}) {
      if (h != null && !kernel.CloseHandle(h)) {
        LOG.warn(
            "{}",
            Win32Exception.lastError(kernel, "after launching " + p.jobName, "CloseHandle")
                .getMessage());
      }
    }
  }
}
