package io.strata.provisioner.core;

import java.util.List;
import java.util.Map;

/**
 * What one step of an apply or destroy changed, as the state file records it. The apply writes each
 * change at the step that made it (before the next cloud call), so an interrupted apply leaves a
 * state the next one resumes from: {@link ClusterRecord#after} is the only way the recorded state
 * moves.
 */
public sealed interface StateChange {
  /**
   * The apply began: the cluster's secrets (minted on the first apply) are kept before anything.
   */
  record Began(ClusterSecrets secrets) implements StateChange {}

  /** The shared network exists, with these cloud ids. */
  record NetworkCreated(Map<String, String> ids) implements StateChange {
    public NetworkCreated {
      ids = Map.copyOf(ids);
    }
  }

  /** Where the allocators answer the agents (one URL, or an HA group's comma-separated list). */
  record AllocatorEndpoint(String url) implements StateChange {}

  /** A node as it now stands: CREATING, RUNNING, FAILED, DELETING. */
  record NodeRecorded(NodeRecord node) implements StateChange {}

  /** These nodes' agents registered with the allocator (allocators: it answered). */
  record NodesReady(List<String> names) implements StateChange {
    public NodesReady {
      names = List.copyOf(names);
    }
  }

  /** A node was deleted in the cloud. */
  record NodeDeleted(String name) implements StateChange {}
}
