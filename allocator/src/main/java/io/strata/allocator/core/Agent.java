package io.strata.allocator.core;

import io.strata.api.AgentId;
import io.strata.api.AgentInfo;
import io.strata.api.ResourcePool;
import java.util.LinkedHashMap;
import java.util.Map;

/** An agent as the core sees it: its total, what is still free, who holds the rest. */
final class Agent {
  /** Dense index, reused after removal: agents' position in the candidate set. */
  final int index;

  final AgentId id;
  AgentInfo info;
  ResourcePool total;

  /** {@code total} minus every allocation on this agent. Set only through {@link #setAvailable}. */
  ResourcePool available;

  /*
   * Facts about {@code available} kept on the agent itself: a cycle visits agents in random order,
   * and reading them here saves the cache misses of walking into the pool's objects.
   */
  boolean freeEmpty;
  boolean freeHasReservations;

  /**
   * True while the allocations on it do not fit in its total (it re-registered with less than its
   * tasks use): {@link #available} is then recomputed whenever allocations shrink, see {@link
   * Pools#free}.
   */
  boolean overcommitted;

  /**
   * On an over-committed agent, how far the quota headroom bookkeeping (which counts total minus
   * allocations of the unreserved part) is from what is really free unreserved here, per scalar;
   * null otherwise. {@link RoleTree#availableHeadroom} subtracts the sum over agents.
   */
  long[] headroomCorrection;

  /** False while deactivated (draining, unreachable): nothing on it is offered. */
  boolean active = true;

  boolean hasGpus;

  /** Allocations on this agent per client, in the order they were first made. */
  final Map<Client, ResourcePool> allocations = new LinkedHashMap<>();

  /** Offer filters installed on this agent; null until the first one. */
  AgentFilters filters;

  /**
   * Bumped on every change that may make something offerable here that was not before (resources
   * freed, filters removed, reactivation). A cycle that found nothing to offer remembers the stamp
   * and the global epoch, and skips the agent until one of them moves.
   */
  long stamp;

  long fruitlessStamp = -1;
  long fruitlessEpoch = -1;

  Agent(int index, AgentId id, AgentInfo info, ResourcePool total) {
    this.index = index;
    this.id = id;
    this.info = info;
    setTotal(total);
    setAvailable(total);
  }

  void setAvailable(ResourcePool pool) {
    this.available = pool;
    this.freeEmpty = pool.isEmpty();
    this.freeHasReservations = !pool.reserved().isEmpty();
  }

  /** What a framework in {@code role} may use of the free resources. */
  ResourcePool usableBy(String role) {
    return freeHasReservations ? Pools.usableBy(available, role) : available;
  }

  void setTotal(ResourcePool newTotal) {
    this.total = newTotal;
    this.hasGpus = newTotal.total().gpus() > 0;
  }

  AgentFilters filters() {
    if (filters == null) {
      filters = new AgentFilters();
    }
    return filters;
  }

  boolean hasFilters() {
    return filters != null && !filters.isEmpty();
  }

  void touch() {
    stamp++;
  }

  boolean knownFruitless(long epoch) {
    return fruitlessStamp == stamp && fruitlessEpoch == epoch;
  }

  void markFruitless(long epoch) {
    fruitlessStamp = stamp;
    fruitlessEpoch = epoch;
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
    return id.value();
  }
}
