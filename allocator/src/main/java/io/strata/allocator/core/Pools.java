package io.strata.allocator.core;

import io.strata.api.ResourcePool;
import io.strata.api.Resources;
import io.strata.api.Roles;
import java.util.Map;
import java.util.TreeMap;

/** Allocation-lean pool operations for the hot path. */
final class Pools {
  private Pools() {}

  /** {@link ResourcePool#usableBy}, without copying when the pool has no reservations. */
  static ResourcePool usableBy(ResourcePool pool, String role) {
    if (pool.reserved().isEmpty()) {
      return pool;
    }
    boolean all = true;
    for (String r : pool.reserved().keySet()) {
      if (!Roles.isSelfOrDescendant(role, r)) {
        all = false;
        break;
      }
    }
    return all ? pool : pool.usableBy(role);
  }

  /** The part of the pool reserved for exactly {@code role}, as a pool. */
  static ResourcePool reservedFor(ResourcePool pool, String role) {
    Resources r = pool.reservedFor(role);
    return r.isEmpty() ? ResourcePool.EMPTY : ResourcePool.reserved(role, r);
  }

  /** A pool of {@code unreserved} plus the given reservations. */
  static ResourcePool of(Resources unreserved, Map<String, Resources> reserved) {
    return reserved.isEmpty()
        ? ResourcePool.unreserved(unreserved)
        : new ResourcePool(unreserved, new TreeMap<>(reserved));
  }

  /** {@code a - b}, turning a containment failure into the fault it is for the core. */
  static ResourcePool minus(ResourcePool a, ResourcePool b, String what) {
    if (!a.contains(b)) {
      throw new IllegalStateException(what + ": " + a + " does not contain " + b);
    }
    return a.minus(b);
  }

  /** True if the pool's scalars reach at least one of the minimum amounts (none: any pool). */
  static boolean allocatable(ResourcePool offer, java.util.List<Resources> minimums) {
    if (offer.isEmpty()) {
      return false;
    }
    if (minimums.isEmpty()) {
      return true;
    }
    long[] s = Scalars.of(offer);
    for (Resources min : minimums) {
      if (Scalars.covers(s, min)) {
        return true;
      }
    }
    return false;
  }
}
