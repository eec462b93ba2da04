package io.strata.allocator.server.config;

/**
 * The names of the principals every allocator has, whether configured or made at start: the
 * configuration refuses ACLs that name nobody, and these are always somebody.
 */
public final class BuiltInPrincipals {
  /** The operator with every right. */
  public static final String ADMIN = "admin";

  /** The built-in frameworks (services, jobs). */
  public static final String FRAMEWORKS = "strata-frameworks";

  /** Read-only access for dashboards and people. */
  public static final String VIEWER = "viewer";

  private BuiltInPrincipals() {}
}
