package io.strata.allocator.core;

import java.time.Instant;

/**
 * What the last allocation cycle did, for metrics and for seeing that cycles are incremental.
 *
 * @param at the time passed to {@link HierarchicalAllocator#allocate}
 * @param agentsConsidered candidate agents the cycle looked at (changed since the last cycle)
 * @param agentsScanned of those, agents whose roles and frameworks were walked (the rest were
 *     skipped in constant time: nothing free, every framework filtered, nothing changed)
 * @param grants grants made
 */
public record CycleStats(Instant at, int agentsConsidered, int agentsScanned, int grants) {
  public static final CycleStats NONE = new CycleStats(Instant.EPOCH, 0, 0, 0);
}
