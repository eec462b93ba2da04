package io.strata.allocator.core;

import io.strata.api.FrameworkId;
import io.strata.api.FrameworkInfo;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** A framework as the core sees it: its roles (as clients), suppression, capability, activity. */
final class Framework {
  final FrameworkId id;

  /** Null while only known from an agent's report of resources it uses (not yet added). */
  FrameworkInfo info;

  boolean active;

  /**
   * Its place in the order frameworks were added (1, 2, ...; 0 while a placeholder): the tie-break
   * within a role after share and allocation count.
   */
  long order;

  final Set<String> suppressed = new TreeSet<>();

  /** Clients by role: subscribed roles and roles it still holds resources in. */
  final TreeMap<String, Client> clients = new TreeMap<>();

  Framework(FrameworkId id) {
    this.id = id;
  }

  boolean added() {
    return info != null;
  }

  boolean gpuCapable() {
    return info != null && info.has(FrameworkInfo.Capability.GPU_RESOURCES);
  }

  Set<String> roles() {
    return info == null ? Set.of() : info.roles();
  }
}
