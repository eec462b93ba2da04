package io.strata.api;

import io.strata.api.json.Checks;
import io.strata.api.json.ValidationException;
import java.util.regex.Pattern;

/**
 * Role names. Roles are hierarchical, like Mesos': {@code eng/web} is a child of {@code eng}.
 * Resources reserved for a role may be used by frameworks in that role or any role below it.
 */
public final class Roles {
  /** The pseudo-role of unreserved resources; never a framework's role. */
  public static final String UNRESERVED = "*";

  private static final Pattern SEGMENT = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

  private Roles() {}

  /** Returns the name if it is a valid role, else throws with what is wrong. */
  public static String check(String role) {
    Checks c = new Checks().notBlank("", role);
    if (role != null && !role.isBlank()) {
      c.require(!role.startsWith("/") && !role.endsWith("/"), "", "must not start or end with '/'");
      for (String segment : role.split("/", -1)) {
        if (!SEGMENT.matcher(segment).matches()) {
          c.require(
              false,
              "",
              "'"
                  + role
                  + "' is not a role: segments are lower-case letters, digits and ._- starting"
                  + " with a letter or digit, joined by '/'");
          break;
        }
      }
    }
    c.done();
    return role;
  }

  public static boolean isValid(String role) {
    try {
      check(role);
      return true;
    } catch (ValidationException e) {
      return false;
    }
  }

  /** The parent of {@code eng/web} is {@code eng}; a top-level role has no parent (null). */
  public static String parent(String role) {
    int slash = role.lastIndexOf('/');
    return slash < 0 ? null : role.substring(0, slash);
  }

  /** True if {@code role} is {@code ancestor} or lies below it. */
  public static boolean isSelfOrDescendant(String role, String ancestor) {
    return role.equals(ancestor) || role.startsWith(ancestor + "/");
  }
}
