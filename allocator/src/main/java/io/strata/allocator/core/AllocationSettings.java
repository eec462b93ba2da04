package io.strata.allocator.core;

import io.strata.api.Quantities;
import io.strata.api.Resources;
import java.time.Duration;
import java.util.List;

/**
 * How the allocator core behaves. Defaults are Mesos' ({@link #DEFAULTS}).
 *
 * @param defaultRefuse the filter a DECLINE installs when the framework names no refuse time
 *     (Mesos: 5 s). The core does not apply it by itself: the server passes it to {@link
 *     HierarchicalAllocator#recoverResources} for a DECLINE without filters.
 * @param maxRefuse longer refuse times are cut to this (Mesos: 365 days)
 * @param minAllocatable an offer is made only if it holds at least one of these amounts (Mesos:
 *     cpus 0.01 or mem 32 MiB); an empty list makes any non-empty offer allocatable
 * @param filterGpuAgents if true, frameworks without the GPU_RESOURCES capability are offered
 *     nothing from agents that have GPUs (Mesos' {@code --filter_gpu_resources}, default true)
 * @param minInterval the least time between two allocation cycles: events arriving in between are
 *     batched into the next cycle (see {@link HierarchicalAllocator#nextWakeup()})
 */
public record AllocationSettings(
    Duration defaultRefuse,
    Duration maxRefuse,
    List<Resources> minAllocatable,
    boolean filterGpuAgents,
    Duration minInterval) {

  public static final AllocationSettings DEFAULTS =
      new AllocationSettings(
          Duration.ofSeconds(5),
          Duration.ofDays(365),
          List.of(Resources.of(10, 0), Resources.of(0, 32 * Quantities.MIB)),
          true,
          Duration.ofMillis(100));

  public AllocationSettings {
    if (defaultRefuse == null || defaultRefuse.isNegative()) {
      throw new IllegalArgumentException("defaultRefuse must be >= 0");
    }
    if (maxRefuse == null || maxRefuse.isNegative()) {
      throw new IllegalArgumentException("maxRefuse must be >= 0");
    }
    if (minInterval == null || minInterval.isNegative()) {
      throw new IllegalArgumentException("minInterval must be >= 0");
    }
    minAllocatable = minAllocatable == null ? List.of() : List.copyOf(minAllocatable);
  }

  public AllocationSettings withMinInterval(Duration interval) {
    return new AllocationSettings(
        defaultRefuse, maxRefuse, minAllocatable, filterGpuAgents, interval);
  }

  public AllocationSettings withMinAllocatable(List<Resources> amounts) {
    return new AllocationSettings(defaultRefuse, maxRefuse, amounts, filterGpuAgents, minInterval);
  }

  public AllocationSettings withFilterGpuAgents(boolean filter) {
    return new AllocationSettings(defaultRefuse, maxRefuse, minAllocatable, filter, minInterval);
  }
}
