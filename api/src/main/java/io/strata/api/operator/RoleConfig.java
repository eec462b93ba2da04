package io.strata.api.operator;

import io.strata.api.json.Checks;

/**
 * {@code PUT /v1/roles/{role}}: a role's weight (default 1; a role with weight 2 gets twice the
 * fair share) and quota. Absent fields keep their current value.
 */
public record RoleConfig(Double weight, Quota quota) {
  public RoleConfig {
    if (weight != null) {
      new Checks()
          .require(
              weight > 0 && weight <= 1_000_000 && !weight.isNaN(),
              "weight",
              "must be > 0 and at most 1000000 (was " + weight + ")")
          .done();
    }
  }
}
