package io.strata.agent.windows.plan;

/**
 * A job's CPU rate: the share of ALL the machine's logical processors its threads may use per
 * scheduling interval, in 1/10000. A task with {@code millicpus} on a machine with {@code n}
 * logical processors gets {@code millicpus / (n * 1000) * 10000}, clamped to 1..10000 (0 is
 * rejected by Windows, more than 10000 is meaningless).
 */
public final class CpuRate {
  public static final int MIN = 1;
  public static final int MAX = 10_000;

  private CpuRate() {}

  public static int hardCap(long millicpus, int logicalProcessors) {
    if (logicalProcessors <= 0) {
      throw new IllegalArgumentException(
          "logical processors must be > 0, was " + logicalProcessors);
    }
    if (millicpus <= 0) {
      return MAX;
    }
    long rate = Math.multiplyExact(millicpus, 10L) / logicalProcessors;
    return (int) Math.max(MIN, Math.min(MAX, rate));
  }
}
