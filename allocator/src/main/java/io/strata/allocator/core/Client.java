package io.strata.allocator.core;

import io.strata.api.ResourcePool;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One framework in one role: the unit a role's framework sorter orders and the owner of
 * allocations. A framework subscribed to three roles has three clients. A client lives while the
 * framework is subscribed to the role or still holds resources allocated to it.
 */
final class Client extends SortEntry {
  /** Dense index, reused after removal: the bit position in agents' filter bitsets. */
  final int index;

  final Framework framework;
  final RoleNode role;

  /** Scalars of everything allocated to this client, on all agents. */
  final long[] allocated = Scalars.zero();

  /** Total allocations made to it (Mesos' tie breaker: fewer allocations first). */
  long allocationCount;

  /** Allocations per agent, in the order they were first made (deterministic iteration). */
  final Map<Agent, ResourcePool> byAgent = new LinkedHashMap<>();

  /** The framework is subscribed to this role (else the client only holds leftovers). */
  boolean subscribed;

  /** Currently in its role's sorter: active framework, subscribed, not suppressed. */
  boolean inSorter;

  /** Number of agents holding filters of this client. */
  int filteredAgents;

  Client(int index, Framework framework, RoleNode role) {
    super(framework.id.value());
    this.index = index;
    this.framework = framework;
    this.role = role;
    this.keyOrder = framework.order;
  }

  boolean wantsOffers() {
    return subscribed && framework.active && !framework.suppressed.contains(role.name);
  }

  boolean isEmpty() {
    return byAgent.isEmpty();
  }

  /** Its dense index: cheaper than an identity hash, and the same on every run. */
  @Override
  public int hashCode() {
    return index;
  }

  @Override
  public boolean equals(Object o) {
    return this == o;
  }

  @Override
  public String toString() {
    return framework.id + "@" + role.name;
  }
}
