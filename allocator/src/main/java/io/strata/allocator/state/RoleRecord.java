package io.strata.allocator.state;

import io.strata.api.operator.Quota;

/** A role's configured weight and quota. */
public record RoleRecord(String role, double weight, Quota quota) {
  public RoleRecord {
    quota = quota == null ? Quota.NONE : quota;
  }
}
