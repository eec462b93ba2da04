package io.strata.provisioner.core;

/** Where a node stands in the recorded state. */
public enum NodeStatus {
  /** The cloud accepted the create request; not known to be running yet. */
  CREATING,
  /** The machine runs (it may not have joined the allocator yet). */
  RUNNING,
  /** The agent on it registered with the allocator. */
  READY,
  /** Creating it failed; {@code NodeRecord.error} says why. Apply tries again. */
  FAILED,
  /** A delete was sent. */
  DELETING
}
