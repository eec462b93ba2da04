package io.strata.agent.windows.exec;

import com.sun.jna.platform.win32.WinNT.HANDLE;
import io.strata.agent.windows.jna.JobConstants;
import io.strata.agent.windows.jna.JobKernel32;
import io.strata.agent.windows.jna.JobStructures.BasicAndIoAccountingInformation;
import io.strata.agent.windows.jna.JobStructures.BasicProcessIdList;
import io.strata.agent.windows.jna.JobStructures.ExtendedLimitInformation;
import io.strata.agent.windows.jna.JobStructures.ProcessMemoryCounters;
import java.util.ArrayList;
import java.util.List;

/** Reads a job's usage: accounting and I/O counters, peak memory, live processes' memory. */
final class JobAccounting {
  static final int MAX_LISTED_PROCESSES = 256;
  private static final long HUNDRED_NANOS = 100;

  private JobAccounting() {}

  static JobUsage read(JobKernel32 kernel, HANDLE job, String jobName) {
    String ctx = "reading the usage of job " + jobName;
    BasicAndIoAccountingInformation acct = new BasicAndIoAccountingInformation();
    if (!kernel.QueryInformationJobObject(
        job,
        JobConstants.JOB_OBJECT_BASIC_AND_IO_ACCOUNTING_INFORMATION,
        acct,
        acct.size(),
        null)) {
      throw Win32Exception.lastError(kernel, ctx, "QueryInformationJobObject");
    }
    ExtendedLimitInformation limits = JobLimits.read(kernel, job, ctx);
    BasicProcessIdList list = new BasicProcessIdList(MAX_LISTED_PROCESSES);
    if (!kernel.QueryInformationJobObject(
        job, JobConstants.JOB_OBJECT_BASIC_PROCESS_ID_LIST, list, list.size(), null)) {
      throw Win32Exception.lastError(kernel, ctx, "QueryInformationJobObject");
    }
    List<Integer> pids = new ArrayList<>();
    long committed = 0;
    long workingSet = 0;
    int listed = Math.min(list.NumberOfProcessIdsInList, list.ProcessIdList.length);
    for (int i = 0; i < listed; i++) {
      int pid = (int) list.ProcessIdList[i].longValue();
      pids.add(pid);
      ProcessMemoryCounters counters = memoryOf(kernel, pid);
      if (counters != null) {
        committed += counters.PagefileUsage.longValue();
        workingSet += counters.WorkingSetSize.longValue();
      }
    }
    return new JobUsage(
        acct.BasicInfo.TotalUserTime * HUNDRED_NANOS,
        acct.BasicInfo.TotalKernelTime * HUNDRED_NANOS,
        committed,
        workingSet,
        limits.PeakJobMemoryUsed.longValue(),
        acct.IoInfo.ReadTransferCount,
        acct.IoInfo.WriteTransferCount,
        acct.BasicInfo.ActiveProcesses,
        acct.BasicInfo.TotalProcesses,
        pids);
  }

  /** The process's memory counters, or null if it exited since the list was taken. */
  private static ProcessMemoryCounters memoryOf(JobKernel32 kernel, int pid) {
    HANDLE process = kernel.OpenProcess(JobConstants.PROCESS_QUERY_LIMITED_INFORMATION, false, pid);
    if (process == null) {
      return null; // gone between the list and now: it no longer uses memory
    }
    try {
      ProcessMemoryCounters counters = new ProcessMemoryCounters();
      return kernel.K32GetProcessMemoryInfo(process, counters, counters.size()) ? counters : null;
    } finally {
      kernel.CloseHandle(process);
    }
  }
}
