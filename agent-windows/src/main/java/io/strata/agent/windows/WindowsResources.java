package io.strata.agent.windows;

import com.sun.jna.platform.win32.WinBase.MEMORYSTATUSEX;
import com.sun.jna.platform.win32.WinNT.LARGE_INTEGER;
import io.strata.agent.windows.exec.Win32Exception;
import io.strata.agent.windows.jna.JobConstants;
import io.strata.agent.windows.jna.JobKernel32;
import io.strata.api.PortRanges;
import io.strata.api.Resources;
import java.nio.file.Path;

/** What a Windows machine has to offer: processors of all groups, memory, disk of the work dir. */
public final class WindowsResources {
  private WindowsResources() {}

  /**
   * @param logicalProcessors in all processor groups (a machine with more than 64 has several)
   * @param memoryBytes physical memory
   * @param diskTotalBytes size of the volume holding the work directory
   * @param diskFreeBytes free space on it available to the agent's account
   */
  public record Host(
      int logicalProcessors, long memoryBytes, long diskTotalBytes, long diskFreeBytes) {

    /**
     * What the agent offers: every logical processor, memory and free disk less what the operator
     * reserves for Windows itself and the agent.
     */
    public Resources offer(long reservedMemoryBytes, long reservedDiskBytes, PortRanges ports) {
      return new Resources(
          logicalProcessors * 1000L,
          Math.max(0, memoryBytes - reservedMemoryBytes),
          Math.max(0, diskFreeBytes - reservedDiskBytes),
          0,
          ports);
    }
  }

  public static Host discover(JobKernel32 kernel, Path workDir) {
    int processors = kernel.GetActiveProcessorCount(JobConstants.ALL_PROCESSOR_GROUPS);
    if (processors <= 0) {
      throw Win32Exception.lastError(kernel, "discovering processors", "GetActiveProcessorCount");
    }
    MEMORYSTATUSEX memory = new MEMORYSTATUSEX();
    if (!kernel.GlobalMemoryStatusEx(memory)) {
      throw Win32Exception.lastError(kernel, "discovering memory", "GlobalMemoryStatusEx");
    }
    LARGE_INTEGER available = new LARGE_INTEGER();
    LARGE_INTEGER total = new LARGE_INTEGER();
    LARGE_INTEGER free = new LARGE_INTEGER();
    if (!kernel.GetDiskFreeSpaceExW(workDir.toAbsolutePath().toString(), available, total, free)) {
      throw Win32Exception.lastError(
          kernel, "discovering the disk of " + workDir, "GetDiskFreeSpaceExW");
    }
    return new Host(
        processors, memory.ullTotalPhys.longValue(), total.getValue(), available.getValue());
  }
}
