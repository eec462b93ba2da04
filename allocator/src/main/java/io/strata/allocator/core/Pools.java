package io.strata.allocator.core;

import io.strata.api.PortRanges;
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

  /*
   * The identity shortcuts below matter: a whole-agent offer is the agent's free pool object
   * itself, and a declined offer comes back as that same object, so the common decline round trip
   * costs no arithmetic at all.
   */

  /** {@code a - b}, turning a containment failure into the fault it is for the core. */
  static ResourcePool minus(ResourcePool a, ResourcePool b, String what) {
    if (a == b) {
      return ResourcePool.EMPTY;
    }
    if (!a.contains(b)) {
      throw new IllegalStateException(what + ": " + a + " does not contain " + b);
    }
    return b.isEmpty() ? a : a.minus(b);
  }

  /**
   * What is free on an agent with {@code total} whose allocations sum to {@code allocated}. When
   * the total holds the allocations that is simply the difference. When it does not (the agent
   * re-registered with less than its tasks use), each part of the total (unreserved, each
   * reservation) frees what it has beyond the allocations of that part, ports in use anywhere stay
   * taken, and the free quantities are cut, reservations served first, so that free plus allocated
   * never exceeds the total in any scalar quantity: nothing over-committed is ever offered.
   */
  static ResourcePool free(ResourcePool total, ResourcePool allocated) {
    if (total.contains(allocated)) {
      return allocated.isEmpty() ? total : total.minus(allocated);
    }
    Resources all = allocated.total();
    PortRanges usedPorts = all.ports();
    long[] budget = Scalars.minusClamped(Scalars.of(total.total()), Scalars.of(all));
    TreeMap<String, Resources> reserved = new TreeMap<>();
    for (Map.Entry<String, Resources> e : total.reserved().entrySet()) {
      Resources part = e.getValue().minusClamped(allocated.reservedFor(e.getKey()));
      reserved.put(e.getKey(), cut(part.withPorts(part.ports().minus(usedPorts)), budget));
    }
    Resources part = total.unreserved().minusClamped(allocated.unreserved());
    return new ResourcePool(cut(part.withPorts(part.ports().minus(usedPorts)), budget), reserved);
  }

  /** {@code r} with each scalar at most what is left in {@code budget}, which it then uses up. */
  private static Resources cut(Resources r, long[] budget) {
    long[] x = Scalars.of(r);
    for (int i = 0; i < Scalars.N; i++) {
      x[i] = Math.min(x[i], budget[i]);
      budget[i] -= x[i];
    }
    return new Resources(
        x[Scalars.CPUS], x[Scalars.MEM], x[Scalars.DISK], x[Scalars.GPUS], r.ports());
  }

  static ResourcePool plus(ResourcePool a, ResourcePool b) {
    if (a.isEmpty()) {
      return b;
    }
    return a.plus(b);
  }

  static boolean contains(ResourcePool a, ResourcePool b) {
    return a == b || a.contains(b);
  }

  /** True if the pool's scalars reach at least one of the minimum amounts (none: any pool). */
  static boolean allocatable(ResourcePool offer, java.util.List<Resources> minimums) {
    if (offer.isEmpty()) {
      return false;
    }
    if (minimums.isEmpty()) {
      return true;
    }
    Resources r = offer.reserved().isEmpty() ? offer.unreserved() : offer.total();
    for (Resources min : minimums) {
      if (r.millicpus() >= min.millicpus()
          && r.memoryBytes() >= min.memoryBytes()
          && r.diskBytes() >= min.diskBytes()
          && r.gpus() >= min.gpus()) {
        return true;
      }
    }
    return false;
  }
}
