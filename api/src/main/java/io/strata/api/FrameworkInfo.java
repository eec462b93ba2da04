package io.strata.api;

import io.strata.api.json.Checks;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A framework's description of itself, sent with SUBSCRIBE.
 *
 * @param id null on the first subscription; the assigned id on re-subscription (failover)
 * @param name shown to operators
 * @param user default user its tasks run as (a task's own user wins)
 * @param roles the roles it receives offers for; the principal must be authorized for each
 * @param capabilities e.g. GPU_RESOURCES: only frameworks that declare it get GPU agents' offers
 * @param failoverTimeoutMillis how long its tasks survive a disconnection before it is torn down
 * @param labels free-form metadata
 */
public record FrameworkInfo(
    FrameworkId id,
    String name,
    String user,
    Set<String> roles,
    Set<Capability> capabilities,
    Long failoverTimeoutMillis,
    Map<String, String> labels) {

  /** What a framework can handle. */
  public enum Capability {
    /** May receive offers that include GPUs. */
    GPU_RESOURCES
  }

  /** Mesos' default is 0 (torn down at once); a week is friendlier for long-running services. */
  public static final long DEFAULT_FAILOVER_TIMEOUT_MILLIS = 7L * 24 * 3600 * 1000;

  public FrameworkInfo {
    Checks c = new Checks().notBlank("name", name).maxLength("name", name, 200);
    c.require(roles != null && !roles.isEmpty(), "roles", "must name at least one role");
    if (roles != null) {
      c.noNullElements("roles", roles);
      for (String role : roles) {
        if (role != null) {
          c.nested("roles[" + role + "]", () -> Roles.check(role));
        }
      }
    }
    roles =
        roles == null
            ? Set.of()
            : Collections.unmodifiableSet(
                new TreeSet<>(roles.stream().filter(r -> r != null).toList()));
    capabilities =
        capabilities == null || capabilities.isEmpty()
            ? Set.of()
            : Collections.unmodifiableSet(
                new TreeSet<>(capabilities.stream().filter(x -> x != null).toList()));
    failoverTimeoutMillis =
        failoverTimeoutMillis == null ? DEFAULT_FAILOVER_TIMEOUT_MILLIS : failoverTimeoutMillis;
    c.nonNegative("failoverTimeoutMillis", failoverTimeoutMillis);
    labels = Attributes.keys(c, "labels", labels);
    c.done();
  }

  public FrameworkInfo withId(FrameworkId newId) {
    return new FrameworkInfo(newId, name, user, roles, capabilities, failoverTimeoutMillis, labels);
  }

  public boolean has(Capability capability) {
    return capabilities.contains(capability);
  }
}
