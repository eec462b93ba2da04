package io.strata.agent.windows.exec;

import com.sun.jna.platform.win32.BaseTSD.SIZE_T;
import com.sun.jna.platform.win32.WinNT.HANDLE;
import io.strata.agent.windows.jna.JobConstants;
import io.strata.agent.windows.jna.JobKernel32;
import io.strata.agent.windows.jna.JobStructures.ExtendedLimitInformation;
import io.strata.agent.windows.plan.JobOperation.AddLimits;
import io.strata.agent.windows.plan.LimitFlags;

/** Reads and writes a job's extended limits. */
final class JobLimits {
  private JobLimits() {}

  /**
   * Reads the job's current extended limits, ORs the new flags into those already set (so a flag
   * set by anyone before, such as KILL_ON_JOB_CLOSE, survives) and writes them back with the values
   * that go with the new flags.
   */
  static void add(JobKernel32 kernel, HANDLE job, AddLimits limits, String ctx) {
    ExtendedLimitInformation info = read(kernel, job, ctx);
    info.BasicLimitInformation.LimitFlags |= limits.flags();
    if ((limits.flags() & LimitFlags.JOB_MEMORY) != 0) {
      info.JobMemoryLimit = new SIZE_T(limits.jobMemoryLimitBytes());
    }
    if ((limits.flags() & LimitFlags.ACTIVE_PROCESS) != 0) {
      info.BasicLimitInformation.ActiveProcessLimit = limits.activeProcessLimit();
    }
    if (!kernel.SetInformationJobObject(
        job, JobConstants.JOB_OBJECT_EXTENDED_LIMIT_INFORMATION, info, info.size())) {
      throw Win32Exception.lastError(kernel, ctx, "SetInformationJobObject");
    }
  }

  static ExtendedLimitInformation read(JobKernel32 kernel, HANDLE job, String ctx) {
    ExtendedLimitInformation info = new ExtendedLimitInformation();
    if (!kernel.QueryInformationJobObject(
        job, JobConstants.JOB_OBJECT_EXTENDED_LIMIT_INFORMATION, info, info.size(), null)) {
      throw Win32Exception.lastError(kernel, ctx, "QueryInformationJobObject");
    }
    return info;
  }
}
