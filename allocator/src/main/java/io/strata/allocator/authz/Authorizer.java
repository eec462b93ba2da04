package io.strata.allocator.authz;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Decides whether a principal may do an action on an object, as Mesos' local authorizer does: the
 * entries for the action are checked in order, and the first whose principals and objects both
 * match decides (allowed, unless its principals or objects are NONE); when none matches, {@code
 * permissive} decides. The operator's entries ({@link Acls}) come first, then those the principals'
 * own settings imply ({@link #implied}), so an operator can narrow what a principal's kind grants.
 *
 * <p>{@link Action#ACT_AS_FRAMEWORK} is not an ACL: a principal acts for its own frameworks only.
 * Pure: no I/O, no clock; immutable and safe to share between threads.
 */
public final class Authorizer {
  private final Map<Action, List<Acl>> rules;
  private final Map<Action, Integer> explicitCount;
  private final boolean permissive;

  private Authorizer(Acls acls, List<Grantee> grantees) {
    this.permissive = acls.permissive();
    this.rules = new EnumMap<>(Action.class);
    this.explicitCount = new EnumMap<>(Action.class);
    Map<Action, List<Acl>> implied = implied(grantees);
    for (Action a : Action.values()) {
      List<Acl> all = new ArrayList<>(acls.of(a));
      explicitCount.put(a, all.size());
      all.addAll(implied.getOrDefault(a, List.of()));
      rules.put(a, List.copyOf(all));
    }
  }

  public static Authorizer of(Acls acls, List<Grantee> grantees) {
    return new Authorizer(acls == null ? Acls.NONE : acls, List.copyOf(grantees));
  }

  /**
   * The entries a principal's kind and roles imply: an admin may do everything; a viewer may view
   * everything; a principal's roles let it register frameworks, reserve and unreserve in them, and
   * tear down its own frameworks. Running the built-in frameworks' workloads is granted by ACL
   * ({@code run_workloads}) or to admins only: the built-in frameworks' own principal, whose roles
   * are theirs, gets no say over what they run.
   */
  static Map<Action, List<Acl>> implied(List<Grantee> grantees) {
    Map<Action, List<Acl>> out = new EnumMap<>(Action.class);
    for (Grantee g : grantees) {
      Entity self = Entity.of(g.name());
      switch (g.kind()) {
        case ADMIN -> {
          for (Action a : Action.values()) {
            if (a.configurable()) {
              add(out, a, new Acl(self, Entity.ANY));
            }
          }
        }
        case VIEWER -> add(out, Action.VIEW, new Acl(self, Entity.ANY));
        case FRAMEWORK -> {}
      }
      if (!g.roles().isEmpty() && g.kind() != Grantee.Kind.ADMIN) {
        Entity roles = Entity.ofRoles(g.roles());
        for (Action a :
            List.of(
                Action.REGISTER_FRAMEWORKS, Action.RESERVE_RESOURCES, Action.UNRESERVE_RESOURCES)) {
          add(out, a, new Acl(self, roles));
        }
        add(out, Action.TEARDOWN_FRAMEWORKS, new Acl(self, self));
      }
    }
    return out;
  }

  private static void add(Map<Action, List<Acl>> out, Action a, Acl acl) {
    out.computeIfAbsent(a, k -> new ArrayList<>()).add(acl);
  }

  /** May {@code principal} do {@code action} on {@code object}? */
  public Decision decide(String principal, Action action, String object) {
    if (action == Action.ACT_AS_FRAMEWORK) {
      return principal.equals(object)
          ? new Decision.Allowed("a principal acts for its own frameworks")
          : new Decision.Denied(
              "principal "
                  + principal
                  + " may not act for a framework of principal "
                  + object
                  + " (a framework is its own principal's only)");
    }
    List<Acl> list = rules.get(action);
    for (int i = 0; i < list.size(); i++) {
      Acl acl = list.get(i);
      if (acl.matches(principal, object, action.objectKind())) {
        String rule = describe(action, i, acl);
        return acl.allows()
            ? new Decision.Allowed(rule)
            : new Decision.Denied(
                refusal(principal, action, object) + " (refused by " + rule + ")");
      }
    }
    return permissive
        ? new Decision.Allowed("acls.permissive")
        : new Decision.Denied(
            refusal(principal, action, object) + " (no ACL grants it; acls.permissive is false)");
  }

  private String describe(Action action, int index, Acl acl) {
    int explicit = explicitCount.get(action);
    return index < explicit
        ? "acls." + action.key() + "[" + index + "] " + acl
        : "the principal's settings (" + action.key() + " " + acl + ")";
  }

  private static String refusal(String principal, Action action, String object) {
    return "principal "
        + principal
        + " may not "
        + action.key()
        + " on "
        + noun(action)
        + " "
        + object;
  }

  private static String noun(Action action) {
    return switch (action.objectKind()) {
      case ROLE -> "role";
      case PRINCIPAL -> "the frameworks of principal";
      case AGENT -> "agent";
      case JOIN_TOKEN -> "join token";
      case VIEW -> "view";
    };
  }
}
