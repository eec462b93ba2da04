package io.strata.agent.containerizer;

import java.time.Instant;
import java.util.Objects;

/**
 * A container's resource use at one instant, for metrics and the agent's HTTP endpoint. Counters
 * are cumulative since launch; a field is null when the platform does not report it.
 *
 * @param cpuTimeNanos user + system CPU time of all its processes
 * @param memoryBytes memory currently charged to it
 * @param memoryPeakBytes the highest memory charged to it so far
 * @param memoryLimitBytes the enforced memory limit, if any
 * @param cpuPeriods CFS enforcement periods elapsed (a hard CPU cap is in force)
 * @param cpuThrottledPeriods periods in which it was throttled by its CPU cap
 * @param cpuThrottledNanos time it was throttled
 * @param processes how many processes it has now
 */
public record ResourceUsage(
    Instant timestamp,
    long cpuTimeNanos,
    long memoryBytes,
    Long memoryPeakBytes,
    Long memoryLimitBytes,
    Long cpuPeriods,
    Long cpuThrottledPeriods,
    Long cpuThrottledNanos,
    Long processes) {

  public ResourceUsage {
    Objects.requireNonNull(timestamp, "timestamp");
  }
}
