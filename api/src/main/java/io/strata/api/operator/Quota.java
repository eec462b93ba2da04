package io.strata.api.operator;

import io.strata.api.Resources;
import io.strata.api.json.Checks;
import java.util.ArrayList;
import java.util.List;

/**
 * A role's quota. {@code guarantee}: resources the allocator sets aside for the role (held as
 * headroom, not offered to others) until the role uses them. {@code limit}: the most the role may
 * hold; null means no limit at all, and a quantity of 0 in a limit means no limit on that quantity
 * (as a resource left out of a Mesos quota limit), so {@code {"millicpus": 4000}} caps CPU only.
 * The guarantee must fit in the limit for every limited quantity. Ports are not limited.
 */
public record Quota(Resources guarantee, Resources limit) {
  public static final Quota NONE = new Quota(Resources.EMPTY, null);

  public Quota {
    guarantee = guarantee == null ? Resources.EMPTY : guarantee;
    if (limit != null) {
      List<String> over = exceedsLimit(guarantee, limit);
      new Checks()
          .require(over.isEmpty(), "guarantee", "must not exceed the limit in " + over)
          .done();
    }
  }

  /**
   * The limited quantities {@code amount} exceeds; empty if it fits (0 in the limit is unlimited).
   */
  public static List<String> exceedsLimit(Resources amount, Resources limit) {
    List<String> over = new ArrayList<>();
    check(over, "cpus", amount.millicpus(), limit.millicpus());
    check(over, "mem", amount.memoryBytes(), limit.memoryBytes());
    check(over, "disk", amount.diskBytes(), limit.diskBytes());
    check(over, "gpus", amount.gpus(), limit.gpus());
    return over;
  }

  private static void check(List<String> over, String name, long amount, long limit) {
    if (limit > 0 && amount > limit) {
      over.add(name);
    }
  }
}
