package io.strata.allocator.authz;

import java.util.Set;

/**
 * A principal as the authorizer sees it: its name, its kind and its roles. The kind and roles imply
 * ACL entries of their own ({@link Authorizer#implied}), so a configuration written before ACLs
 * existed keeps its meaning.
 *
 * @param roles roles it may register frameworks in, reserve and unreserve in ({@code *}: every
 *     role; a role allows the roles below it)
 */
public record Grantee(String name, Kind kind, Set<String> roles) {

  /** What a principal is for. */
  public enum Kind {
    /** Everything ({@code operator: true} in the configuration). */
    ADMIN,
    /** Reads every view of the operator API and the workloads; changes nothing. */
    VIEWER,
    /** Its frameworks, in its roles: no operator API. */
    FRAMEWORK
  }

  public Grantee {
    roles = roles == null ? Set.of() : Set.copyOf(roles);
  }
}
