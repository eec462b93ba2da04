package io.strata.api.operator;

import io.strata.api.Resources;
import io.strata.api.json.Checks;

/**
 * A role's quota. {@code guarantee}: resources the allocator sets aside for the role (held as
 * headroom, not offered to others) until the role uses them. {@code limit}: the most the role may
 * hold; null means no limit. The guarantee must fit in the limit.
 */
public record Quota(Resources guarantee, Resources limit) {
  public static final Quota NONE = new Quota(Resources.EMPTY, null);

  public Quota {
    guarantee = guarantee == null ? Resources.EMPTY : guarantee;
    if (limit != null) {
      Resources g = guarantee;
      new Checks()
          .require(
              limit.contains(g.withPorts(limit.ports())),
              "guarantee",
              "must not exceed the limit in " + g.exceeding(limit))
          .done();
    }
  }
}
