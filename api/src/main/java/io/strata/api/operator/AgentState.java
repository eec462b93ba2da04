package io.strata.api.operator;

/** An agent as the allocator sees it. */
public enum AgentState {
  /** Registered and heartbeating; its resources are offered. */
  ACTIVE,
  /** Being drained for maintenance: not offered; its tasks are being moved or killed. */
  DRAINING,
  /** Drained: no tasks left; not offered until an operator reactivates it. */
  DRAINED,
  /** Missed heartbeats; its tasks are UNREACHABLE until it returns or becomes GONE. */
  UNREACHABLE,
  /** Removed: its tasks are GONE and its id will not be accepted again. */
  GONE
}
