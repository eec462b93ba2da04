package io.strata.agent.windows.plan;

import java.util.Map;

/**
 * One host operation of a task launch, as data: the policy ({@link JobPlan}) decides the list, a
 * thin executor over kernel32 performs it, a dry run prints it. The order of a plan is the order in
 * which the executor must perform it.
 */
public sealed interface JobOperation {

  /** A line for a dry run. */
  String describe();

  /** CreateJobObjectW with this name; fails if a job of that name already exists. */
  record CreateJob(String name) implements JobOperation {
    @Override
    public String describe() {
      return "CreateJobObjectW(name=" + name + ")";
    }
  }

  /** Route the job's notifications to the agent's completion port under {@code key}. */
  record AssociateCompletionPort(long key) implements JobOperation {
    @Override
    public String describe() {
      return "SetInformationJobObject(JobObjectAssociateCompletionPortInformation, key="
          + key
          + ")";
    }
  }

  /**
   * Read the job's extended limits, OR {@code flags} into the flags already set (never dropping
   * one), set the values that go with them, write them back.
   *
   * @param jobMemoryLimitBytes used when {@code flags} has JOB_OBJECT_LIMIT_JOB_MEMORY
   * @param activeProcessLimit used when {@code flags} has JOB_OBJECT_LIMIT_ACTIVE_PROCESS
   */
  record AddLimits(int flags, long jobMemoryLimitBytes, int activeProcessLimit)
      implements JobOperation {
    @Override
    public String describe() {
      return "QueryInformationJobObject(JobObjectExtendedLimitInformation), then"
          + " SetInformationJobObject(JobObjectExtendedLimitInformation, LimitFlags |= "
          + LimitFlags.describe(flags)
          + (jobMemoryLimitBytes > 0 ? ", JobMemoryLimit=" + jobMemoryLimitBytes : "")
          + (activeProcessLimit > 0 ? ", ActiveProcessLimit=" + activeProcessLimit : "")
          + ")";
    }
  }

  /** A hard cap on the job's CPU rate, in 1/10000 of the machine (see {@link CpuRate}). */
  record SetCpuRateHardCap(int cpuRate) implements JobOperation {
    @Override
    public String describe() {
      return "SetInformationJobObject(JobObjectCpuRateControlInformation,"
          + " ControlFlags=ENABLE|HARD_CAP, CpuRate="
          + cpuRate
          + ")";
    }
  }

  /** Which standard stream a sandbox file receives. */
  enum Stream {
    STDOUT,
    STDERR
  }

  /** Open (create or append to) a sandbox file as an inheritable handle for the task. */
  record OpenOutputFile(Stream stream, String path) implements JobOperation {
    @Override
    public String describe() {
      return "CreateFileW(" + path + ", append, inheritable) for " + stream.name().toLowerCase();
    }
  }

  /**
   * CreateProcessW with CREATE_SUSPENDED among {@code creationFlags}: the process exists but runs
   * no code until it is in the job and resumed.
   */
  record CreateSuspendedProcess(
      String commandLine,
      Map<String, String> environment,
      String workingDirectory,
      int creationFlags)
      implements JobOperation {
    public CreateSuspendedProcess {
      environment = Map.copyOf(environment);
    }

    @Override
    public String describe() {
      return "CreateProcessW(\""
          + commandLine
          + "\", cwd="
          + workingDirectory
          + ", flags="
          + CreationFlags.describe(creationFlags)
          + ", "
          + environment.size()
          + " environment variables, stdout/stderr=sandbox files)";
    }
  }

  /** AssignProcessToJobObject: from here on the process and all its children are in the job. */
  record AssignToJob() implements JobOperation {
    @Override
    public String describe() {
      return "AssignProcessToJobObject(job, process)";
    }
  }

  /**
   * Give the task's own process a handle to its job (with {@code access} only), so the job's name
   * outlives the agent: a named job vanishes with its last handle. The handle closes when that
   * process exits; with kill-on-close the job then ends the rest of the task's tree.
   */
  record ShareJobHandleWithTask(int access) implements JobOperation {
    @Override
    public String describe() {
      return "DuplicateHandle(job -> task process, access=0x" + Integer.toHexString(access) + ")";
    }
  }

  /** ResumeThread on the process's main thread: the task starts running, inside its job. */
  record ResumeProcess() implements JobOperation {
    @Override
    public String describe() {
      return "ResumeThread(main thread)";
    }
  }
}
