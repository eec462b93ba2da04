package io.strata.allocator.core;

import io.strata.api.Resources;
import java.util.ArrayList;
import java.util.List;

/**
 * A quota limit per scalar resource kind, as Mesos reads one: null = no limit on that kind (a kind
 * a Mesos limit does not name), 0 = none of it may be allocated. Ports are never limited.
 *
 * @param millicpus at most this many millicores, or null
 * @param memoryBytes at most this much memory, or null
 * @param diskBytes at most this much disk, or null
 * @param gpus at most this many GPUs, or null
 */
public record QuotaLimit(Long millicpus, Long memoryBytes, Long diskBytes, Long gpus) {
  /** No limit on anything. */
  public static final QuotaLimit NONE = new QuotaLimit(null, null, null, null);

  public QuotaLimit {
    for (Long v : new Long[] {millicpus, memoryBytes, diskBytes, gpus}) {
      if (v != null && v < 0) {
        throw new IllegalArgumentException("a quota limit must not be negative: " + v);
      }
    }
  }

  /**
   * A limit as the API and the journal have written it so far ({@code Quota.limit}, a {@code
   * Resources}): null is no limit at all, and a quantity of 0 is no limit on that quantity.
   */
  public static QuotaLimit fromLegacy(Resources limit) {
    if (limit == null) {
      return NONE;
    }
    return new QuotaLimit(
        positiveOrNull(limit.millicpus()),
        positiveOrNull(limit.memoryBytes()),
        positiveOrNull(limit.diskBytes()),
        positiveOrNull(limit.gpus()));
  }

  private static Long positiveOrNull(long v) {
    return v > 0 ? v : null;
  }

  public boolean isNone() {
    return equals(NONE);
  }

  /** The limited kinds {@code amount} exceeds ("cpus", "mem", "disk", "gpus"); empty if it fits. */
  public List<String> exceededBy(Resources amount) {
    List<String> over = new ArrayList<>();
    check(over, "cpus", amount.millicpus(), millicpus);
    check(over, "mem", amount.memoryBytes(), memoryBytes);
    check(over, "disk", amount.diskBytes(), diskBytes);
    check(over, "gpus", amount.gpus(), gpus);
    return over;
  }

  private static void check(List<String> over, String name, long amount, Long limit) {
    if (limit != null && amount > limit) {
      over.add(name);
    }
  }

  /** As scalars ({@link Scalars}' order), {@link Long#MAX_VALUE} where unlimited. */
  long[] scalars() {
    return new long[] {orMax(millicpus), orMax(memoryBytes), orMax(diskBytes), orMax(gpus)};
  }

  private static long orMax(Long v) {
    return v == null ? Long.MAX_VALUE : v;
  }
}
