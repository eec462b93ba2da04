package io.strata.workloads.core;

/**
 * How to choose among agents that can all take a task. SPREAD puts it where the app has the fewest
 * tasks, then where most is free (resilience); BINPACK puts it where the least is left afterwards
 * (fewer, fuller agents; the rest stay free for big tasks).
 */
public enum PlacementStrategy {
  SPREAD,
  BINPACK
}
