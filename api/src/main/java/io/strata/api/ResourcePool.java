package io.strata.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.strata.api.json.Checks;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Resources split by reservation: {@code unreserved} may be used by anyone; {@code reserved} maps a
 * role to what is reserved for it (usable by that role and the roles below it). Offers, agent
 * totals and allocations are pools. Empty reservations are dropped so equal pools are equal.
 */
public record ResourcePool(Resources unreserved, Map<String, Resources> reserved) {
  public static final ResourcePool EMPTY = new ResourcePool(Resources.EMPTY, Map.of());

  public ResourcePool {
    unreserved = unreserved == null ? Resources.EMPTY : unreserved;
    Checks c = new Checks().noNullValues("reserved", reserved);
    TreeMap<String, Resources> sorted = new TreeMap<>();
    if (reserved != null) {
      for (Map.Entry<String, Resources> e : reserved.entrySet()) {
        c.nested("reserved." + e.getKey(), () -> Roles.check(e.getKey()));
        if (e.getValue() != null && !e.getValue().isEmpty()) {
          sorted.put(e.getKey(), e.getValue());
        }
      }
    }
    c.done();
    reserved = Collections.unmodifiableSortedMap(sorted);
  }

  public static ResourcePool unreserved(Resources resources) {
    return new ResourcePool(resources, Map.of());
  }

  public static ResourcePool reserved(String role, Resources resources) {
    return new ResourcePool(Resources.EMPTY, Map.of(role, resources));
  }

  @JsonIgnore
  public boolean isEmpty() {
    return unreserved.isEmpty() && reserved.isEmpty();
  }

  /** Everything in the pool, reserved or not. */
  public Resources total() {
    Resources sum = unreserved;
    for (Resources r : reserved.values()) {
      sum = sum.plus(r);
    }
    return sum;
  }

  /** What is reserved for exactly {@code role} (empty if nothing). */
  public Resources reservedFor(String role) {
    return reserved.getOrDefault(role, Resources.EMPTY);
  }

  /**
   * The part a framework in {@code role} may use: unreserved resources plus reservations for the
   * role itself and for its ancestors.
   */
  public ResourcePool usableBy(String role) {
    TreeMap<String, Resources> usable = new TreeMap<>();
    for (Map.Entry<String, Resources> e : reserved.entrySet()) {
      if (Roles.isSelfOrDescendant(role, e.getKey())) {
        usable.put(e.getKey(), e.getValue());
      }
    }
    return new ResourcePool(unreserved, usable);
  }

  public ResourcePool plus(ResourcePool o) {
    if (o.isEmpty()) {
      return this;
    }
    TreeMap<String, Resources> sum = new TreeMap<>(reserved);
    o.reserved.forEach((role, r) -> sum.merge(role, r, Resources::plus));
    return new ResourcePool(unreserved.plus(o.unreserved), sum);
  }

  /** True if each part of {@code o} fits in the same part of this pool. */
  public boolean contains(ResourcePool o) {
    if (!unreserved.contains(o.unreserved)) {
      return false;
    }
    for (Map.Entry<String, Resources> e : o.reserved.entrySet()) {
      if (!reservedFor(e.getKey()).contains(e.getValue())) {
        return false;
      }
    }
    return true;
  }

  /** This minus {@code o}, part by part; {@code o} must be contained. */
  public ResourcePool minus(ResourcePool o) {
    if (!contains(o)) {
      throw new IllegalArgumentException(this + " does not contain " + o);
    }
    TreeMap<String, Resources> rest = new TreeMap<>(reserved);
    o.reserved.forEach((role, r) -> rest.put(role, rest.get(role).minus(r)));
    return new ResourcePool(unreserved.minus(o.unreserved), rest);
  }

  @Override
  public String toString() {
    if (reserved.isEmpty()) {
      return unreserved.toString();
    }
    StringBuilder b = new StringBuilder("{*: ").append(unreserved);
    reserved.forEach((role, r) -> b.append(", ").append(role).append(": ").append(r));
    return b.append('}').toString();
  }
}
