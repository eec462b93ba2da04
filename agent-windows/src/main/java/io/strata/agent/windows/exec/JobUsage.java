package io.strata.agent.windows.exec;

import java.util.List;

/**
 * What a task's job has used, from its accounting, I/O counters and process list.
 *
 * @param userCpuNanos user-mode CPU time of all processes ever in the job
 * @param kernelCpuNanos kernel-mode CPU time, likewise
 * @param memoryBytes committed (private) memory of the job's live processes: what its limit counts
 * @param workingSetBytes their resident memory
 * @param peakJobMemoryBytes the job's peak committed memory
 * @param readBytes bytes read by the job's processes
 * @param writeBytes bytes written
 * @param activeProcesses processes in the job now
 * @param totalProcesses processes ever in the job
 * @param processIds the live processes (up to the first 256)
 */
public record JobUsage(
    long userCpuNanos,
    long kernelCpuNanos,
    long memoryBytes,
    long workingSetBytes,
    long peakJobMemoryBytes,
    long readBytes,
    long writeBytes,
    int activeProcesses,
    int totalProcesses,
    List<Integer> processIds) {

  public JobUsage {
    processIds = List.copyOf(processIds);
  }

  public long cpuNanos() {
    return userCpuNanos + kernelCpuNanos;
  }
}
