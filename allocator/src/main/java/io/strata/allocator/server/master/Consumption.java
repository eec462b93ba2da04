package io.strata.allocator.server.master;

import io.strata.api.ResourcePool;
import io.strata.api.Resources;
import io.strata.api.Roles;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Which part of an offer a task consumes: resources reserved for the offer's role first, then for
 * its parent, and so on up the role tree, then unreserved ones. Reservations for other roles are
 * never used.
 */
final class Consumption {

  /** The outcome: either the consumed pool, or what was short. */
  sealed interface Result {}

  record Fits(ResourcePool consumed) implements Result {}

  record Short(List<String> missing, Resources usable) implements Result {}

  private Consumption() {}

  static Result of(ResourcePool available, String role, Resources need) {
    Resources rest = need;
    TreeMap<String, Resources> reserved = new TreeMap<>();
    for (String r : chain(role)) {
      Resources take = rest.min(available.reservedFor(r));
      if (!take.isEmpty()) {
        reserved.put(r, take);
        rest = rest.minus(take);
      }
    }
    if (!available.unreserved().contains(rest)) {
      Resources usable = available.unreserved();
      for (String r : chain(role)) {
        usable = usable.plus(available.reservedFor(r));
      }
      return new Short(need.exceeding(usable), usable);
    }
    return new Fits(new ResourcePool(rest, reserved));
  }

  /** {@code eng/web/api} → [eng/web/api, eng/web, eng]. */
  static List<String> chain(String role) {
    List<String> out = new ArrayList<>();
    for (String r = role; r != null; r = Roles.parent(r)) {
      out.add(r);
    }
    return out;
  }
}
