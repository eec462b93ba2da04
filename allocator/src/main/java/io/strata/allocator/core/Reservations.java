package io.strata.allocator.core;

import io.strata.api.ResourcePool;
import java.util.Map;

/**
 * RESERVE and UNRESERVE on resources a framework holds: the allocation and the agent's total change
 * from one form to the other, the free resources do not.
 */
final class Reservations {
  private final Cluster cluster;

  Reservations(Cluster cluster) {
    this.cluster = cluster;
  }

  void convert(Framework f, Agent a, String role, ResourcePool from, ResourcePool to) {
    Client c = f.clients.get(role);
    ResourcePool held = c == null ? null : c.byAgent.get(a);
    if (held == null || !held.contains(from)) {
      throw new IllegalStateException(
          "framework "
              + f.id
              + " does not hold "
              + from
              + " for role "
              + role
              + " on agent "
              + a.id
              + " (holds "
              + (held == null ? "nothing" : held)
              + ")");
    }
    if (!a.total.contains(from)) {
      // Only on an over-committed agent: its total lost what the allocation still holds.
      throw new IllegalStateException(
          "agent " + a.id + ": its total " + a.total + " does not hold " + from);
    }
    ResourcePool updated = held.minus(from).plus(to);
    c.byAgent.put(a, updated);
    a.allocations.put(c, updated);
    RoleTree roles = cluster.roles;
    roles.trackAllocation(c, from, -1, false);
    roles.trackAllocation(c, to, +1, false);
    for (Map.Entry<String, io.strata.api.Resources> e : from.reserved().entrySet()) {
      roles.trackReservation(e.getKey(), e.getValue(), -1);
    }
    for (Map.Entry<String, io.strata.api.Resources> e : to.reserved().entrySet()) {
      roles.trackReservation(e.getKey(), e.getValue(), +1);
    }
    a.setTotal(a.total.minus(from).plus(to));
    cluster.releaseConstrained();
  }
}
