package io.strata.agent.windows.jna;

import com.sun.jna.Structure.FieldOrder;
import com.sun.jna.platform.win32.BaseTSD.SIZE_T;
import com.sun.jna.platform.win32.BaseTSD.ULONG_PTR;
import com.sun.jna.platform.win32.WinNT.HANDLE;
import com.sun.jna.platform.win32.WinNT.IO_COUNTERS;

/**
 * The JOBOBJECT_* structures of winnt.h that jna-platform does not map. Field names follow the SDK
 * so they can be checked against the headers. Sizes on x64 (checked by the layout tests): basic
 * limit 64, extended limit 144, CPU rate control 8, basic accounting 48, basic and I/O accounting
 * 96, associate completion port 16, process id list 8 + 8 per id, process memory counters 72.
 */
public final class JobStructures {
  private JobStructures() {}

  /** JOBOBJECT_BASIC_LIMIT_INFORMATION. */
  @FieldOrder({
    "PerProcessUserTimeLimit",
    "PerJobUserTimeLimit",
    "LimitFlags",
    "MinimumWorkingSetSize",
    "MaximumWorkingSetSize",
    "ActiveProcessLimit",
    "Affinity",
    "PriorityClass",
    "SchedulingClass"
  })
  public static class BasicLimitInformation extends WinStructure {
    public long PerProcessUserTimeLimit;
    public long PerJobUserTimeLimit;
    public int LimitFlags;
    public SIZE_T MinimumWorkingSetSize = new SIZE_T();
    public SIZE_T MaximumWorkingSetSize = new SIZE_T();
    public int ActiveProcessLimit;
    public ULONG_PTR Affinity = new ULONG_PTR();
    public int PriorityClass;
    public int SchedulingClass;
  }

  /** JOBOBJECT_EXTENDED_LIMIT_INFORMATION (information class 9). */
  @FieldOrder({
    "BasicLimitInformation",
    "IoInfo",
    "ProcessMemoryLimit",
    "JobMemoryLimit",
    "PeakProcessMemoryUsed",
    "PeakJobMemoryUsed"
  })
  public static class ExtendedLimitInformation extends WinStructure {
    public BasicLimitInformation BasicLimitInformation = new BasicLimitInformation();
    public IO_COUNTERS IoInfo = new IO_COUNTERS();
    public SIZE_T ProcessMemoryLimit = new SIZE_T();
    public SIZE_T JobMemoryLimit = new SIZE_T();
    public SIZE_T PeakProcessMemoryUsed = new SIZE_T();
    public SIZE_T PeakJobMemoryUsed = new SIZE_T();
  }

  /**
   * JOBOBJECT_CPU_RATE_CONTROL_INFORMATION (information class 15). The second member is a union of
   * CpuRate / Weight / {MinRate, MaxRate}; we only use CpuRate, the DWORD view of it.
   */
  @FieldOrder({"ControlFlags", "CpuRate"})
  public static class CpuRateControlInformation extends WinStructure {
    public int ControlFlags;
    public int CpuRate;
  }

  /** JOBOBJECT_BASIC_ACCOUNTING_INFORMATION (information class 1). Times in 100 ns units. */
  @FieldOrder({
    "TotalUserTime",
    "TotalKernelTime",
    "ThisPeriodTotalUserTime",
    "ThisPeriodTotalKernelTime",
    "TotalPageFaultCount",
    "TotalProcesses",
    "ActiveProcesses",
    "TotalTerminatedProcesses"
  })
  public static class BasicAccountingInformation extends WinStructure {
    public long TotalUserTime;
    public long TotalKernelTime;
    public long ThisPeriodTotalUserTime;
    public long ThisPeriodTotalKernelTime;
    public int TotalPageFaultCount;
    public int TotalProcesses;
    public int ActiveProcesses;
    public int TotalTerminatedProcesses;
  }

  /** JOBOBJECT_BASIC_AND_IO_ACCOUNTING_INFORMATION (information class 8). */
  @FieldOrder({"BasicInfo", "IoInfo"})
  public static class BasicAndIoAccountingInformation extends WinStructure {
    public BasicAccountingInformation BasicInfo = new BasicAccountingInformation();
    public IO_COUNTERS IoInfo = new IO_COUNTERS();
  }

  /** JOBOBJECT_ASSOCIATE_COMPLETION_PORT (information class 7). */
  @FieldOrder({"CompletionKey", "CompletionPort"})
  public static class AssociateCompletionPort extends WinStructure {
    public ULONG_PTR CompletionKey = new ULONG_PTR();
    public HANDLE CompletionPort;
  }

  /**
   * JOBOBJECT_BASIC_PROCESS_ID_LIST (information class 3) with room for {@code capacity} ids: the
   * SDK declares {@code ProcessIdList[1]}; callers pass a larger buffer and read what fits.
   */
  @FieldOrder({"NumberOfAssignedProcesses", "NumberOfProcessIdsInList", "ProcessIdList"})
  public static class BasicProcessIdList extends WinStructure {
    public int NumberOfAssignedProcesses;
    public int NumberOfProcessIdsInList;
    public ULONG_PTR[] ProcessIdList;

    public BasicProcessIdList() {
      this(1);
    }

    public BasicProcessIdList(int capacity) {
      ProcessIdList = new ULONG_PTR[Math.max(1, capacity)];
      for (int i = 0; i < ProcessIdList.length; i++) {
        ProcessIdList[i] = new ULONG_PTR();
      }
    }
  }

  /** PROCESS_MEMORY_COUNTERS (psapi.h), for K32GetProcessMemoryInfo. */
  @FieldOrder({
    "cb",
    "PageFaultCount",
    "PeakWorkingSetSize",
    "WorkingSetSize",
    "QuotaPeakPagedPoolUsage",
    "QuotaPagedPoolUsage",
    "QuotaPeakNonPagedPoolUsage",
    "QuotaNonPagedPoolUsage",
    "PagefileUsage",
    "PeakPagefileUsage"
  })
  public static class ProcessMemoryCounters extends WinStructure {
    public int cb;
    public int PageFaultCount;
    public SIZE_T PeakWorkingSetSize = new SIZE_T();
    public SIZE_T WorkingSetSize = new SIZE_T();
    public SIZE_T QuotaPeakPagedPoolUsage = new SIZE_T();
    public SIZE_T QuotaPagedPoolUsage = new SIZE_T();
    public SIZE_T QuotaPeakNonPagedPoolUsage = new SIZE_T();
    public SIZE_T QuotaNonPagedPoolUsage = new SIZE_T();
    public SIZE_T PagefileUsage = new SIZE_T();
    public SIZE_T PeakPagefileUsage = new SIZE_T();

    public ProcessMemoryCounters() {
      cb = size();
    }
  }
}
