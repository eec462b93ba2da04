package io.strata.allocator.server.master;

import io.strata.api.Resources;
import io.strata.api.Roles;
import io.strata.api.json.Violation;
import io.strata.api.operator.Quota;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToLongFunction;

/**
 * Mesos' rules for quota across the role tree, checked before an operator's quota is set:
 *
 * <ul>
 *   <li>a role's guarantee holds the sum of its children's guarantees (Mesos' {@code QuotaTree}): a
 *       role without quota guarantees nothing, so a child of it can be guaranteed nothing either,
 *       and a top-level role is bounded only by the cluster;
 *   <li>a role's limit does not exceed the limit of any role above it, quantity by quantity (Mesos
 *       noted this rule without enforcing it). Only limited quantities count: 0 in a limit means no
 *       limit on that quantity, and an unlimited role below a limited one is simply capped by it.
 * </ul>
 *
 * Only the rules that involve what the request changes (the role being set, the quantities whose
 * guarantee or limit differ) are checked, so quotas set before these rules existed never block an
 * unrelated change. Pure: no state of its own.
 */
final class QuotaHierarchy {

  /** A scalar quantity: its name in problems, its JSON field in a quota, how to read it. */
  private record Quantity(String name, String field, ToLongFunction<Resources> value) {}

  private static final List<Quantity> QUANTITIES =
      List.of(
          new Quantity("cpus", "millicpus", Resources::millicpus),
          new Quantity("mem", "memoryBytes", Resources::memoryBytes),
          new Quantity("disk", "diskBytes", Resources::diskBytes),
          new Quantity("gpus", "gpus", Resources::gpus));

  private QuotaHierarchy() {}

  /**
   * What setting {@code role}'s quota to {@code proposed} would break, with the field path in the
   * request ({@code quota.guarantee.millicpus}, ...) and the conflicting role in the message; empty
   * if nothing.
   *
   * @param configured the quotas currently set, by role (roles absent have none)
   */
  static List<Violation> check(String role, Quota proposed, Map<String, Quota> configured) {
    Quota old = configured.get(role);
    Map<String, Quota> quotas = new TreeMap<>(configured);
    quotas.put(role, proposed);
    List<Violation> out = new ArrayList<>();
    for (Quantity q : QUANTITIES) {
      if (guarantee(old, q) != guarantee(proposed, q)) {
        checkGuaranteeUnderParent(role, q, quotas, out);
        checkGuaranteeOverChildren(role, q, quotas, out);
      }
      if (limit(old, q) != limit(proposed, q)) {
        checkLimitUnderAncestors(role, q, quotas, out);
        checkLimitOverDescendants(role, q, quotas, out);
      }
    }
    return out;
  }

  private static void checkGuaranteeUnderParent(
      String role, Quantity q, Map<String, Quota> quotas, List<Violation> out) {
    String parent = Roles.parent(role);
    long own = guarantee(quotas.get(role), q);
    if (parent == null || own == 0) {
      return;
    }
    List<String> siblings = new ArrayList<>();
    long sum = 0;
    for (Map.Entry<String, Quota> e : quotas.entrySet()) {
      long g = guarantee(e.getValue(), q);
      if (g > 0 && parent.equals(Roles.parent(e.getKey()))) {
        sum += g;
        if (!e.getKey().equals(role)) {
          siblings.add(e.getKey() + " (" + g + ")");
        }
      }
    }
    long parentGuarantee = guarantee(quotas.get(parent), q);
    if (sum > parentGuarantee) {
      out.add(
          new Violation(
              "quota.guarantee." + q.field(),
              "the guarantees of the children of role "
                  + parent
                  + " would add up to "
                  + sum
                  + " "
                  + q.field()
                  + (siblings.isEmpty() ? "" : " (with " + String.join(", ", siblings) + ")")
                  + ", more than role "
                  + parent
                  + " is guaranteed ("
                  + parentGuarantee
                  + "); raise the guarantee of "
                  + parent
                  + " first"));
    }
  }

  private static void checkGuaranteeOverChildren(
      String role, Quantity q, Map<String, Quota> quotas, List<Violation> out) {
    List<String> children = new ArrayList<>();
    long sum = 0;
    for (Map.Entry<String, Quota> e : quotas.entrySet()) {
      long g = guarantee(e.getValue(), q);
      if (g > 0 && role.equals(Roles.parent(e.getKey()))) {
        sum += g;
        children.add(e.getKey() + " (" + g + ")");
      }
    }
    long own = guarantee(quotas.get(role), q);
    if (sum > own) {
      out.add(
          new Violation(
              "quota.guarantee." + q.field(),
              "is "
                  + own
                  + " but the roles below it are guaranteed "
                  + sum
                  + " "
                  + q.field()
                  + ": "
                  + String.join(", ", children)
                  + "; lower their guarantees first"));
    }
  }

  private static void checkLimitUnderAncestors(
      String role, Quantity q, Map<String, Quota> quotas, List<Violation> out) {
    long own = limit(quotas.get(role), q);
    if (own == 0) {
      return;
    }
    for (String a = Roles.parent(role); a != null; a = Roles.parent(a)) {
      long above = limit(quotas.get(a), q);
      if (above > 0 && own > above) {
        out.add(
            new Violation(
                "quota.limit." + q.field(),
                "is "
                    + own
                    + ", more than the limit of role "
                    + a
                    + " above it ("
                    + above
                    + " "
                    + q.field()
                    + ")"));
        return;
      }
    }
  }

  private static void checkLimitOverDescendants(
      String role, Quantity q, Map<String, Quota> quotas, List<Violation> out) {
    long own = limit(quotas.get(role), q);
    if (own == 0) {
      return;
    }
    List<String> over = new ArrayList<>();
    for (Map.Entry<String, Quota> e : quotas.entrySet()) {
      String d = e.getKey();
      long below = limit(e.getValue(), q);
      if (!d.equals(role) && Roles.isSelfOrDescendant(d, role) && below > own) {
        over.add(d + " (" + below + ")");
      }
    }
    if (!over.isEmpty()) {
      out.add(
          new Violation(
              "quota.limit." + q.field(),
              "is "
                  + own
                  + " "
                  + q.field()
                  + " but roles below it have higher limits: "
                  + String.join(", ", over)
                  + "; lower theirs first"));
    }
  }

  private static long guarantee(Quota quota, Quantity q) {
    return quota == null ? 0 : q.value().applyAsLong(quota.guarantee());
  }

  /** The limit of the quantity, 0 when it is not limited. */
  private static long limit(Quota quota, Quantity q) {
    return quota == null || quota.limit() == null ? 0 : q.value().applyAsLong(quota.limit());
  }
}
