package io.strata.provisioner.core;

/** What a machine runs. */
public enum NodeRole {
  ALLOCATOR,
  AGENT
}
