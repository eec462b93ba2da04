package io.strata.agent.linux.container;

import com.github.dockerjava.api.model.Statistics;
import io.strata.agent.containerizer.ResourceUsage;
import java.time.Instant;

/** A sample of the engine's statistics for a Linux container, as a {@link ResourceUsage}. */
final class DockerUsage {
  private DockerUsage() {}

  static ResourceUsage of(Statistics s, Instant now) {
    var cpu = s.getCpuStats();
    long cpuNanos =
        cpu != null && cpu.getCpuUsage() != null && cpu.getCpuUsage().getTotalUsage() != null
            ? cpu.getCpuUsage().getTotalUsage()
            : 0;
    var throttling = cpu == null ? null : cpu.getThrottlingData();
    var mem = s.getMemoryStats();
    long memory = mem != null && mem.getUsage() != null ? mem.getUsage() : 0;
    return new ResourceUsage(
        now,
        cpuNanos,
        memory,
        mem == null ? null : mem.getMaxUsage(),
        mem == null ? null : mem.getLimit(),
        throttling == null ? null : throttling.getPeriods(),
        throttling == null ? null : throttling.getThrottledPeriods(),
        throttling == null ? null : throttling.getThrottledTime(),
        s.getPidsStats() == null ? null : s.getPidsStats().getCurrent());
  }
}
