package io.strata.workloads.framework;

import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * Fresh, unique task-id suffixes. A restarted framework must never reuse an id the allocator may
 * still remember, so suffixes are random (seeded from the OS once per process) rather than counted.
 */
public final class TaskIds {
  private final RandomGenerator random;

  public TaskIds(RandomGenerator random) {
    this.random = random;
  }

  /** Six base-36 characters (about 2 billion values). */
  public String nonce() {
    StringBuilder s =
        new StringBuilder(
            Long.toString(random.nextLong(2_176_782_336L), 36).toLowerCase(Locale.ROOT));
    while (s.length() < 6) {
      s.insert(0, '0');
    }
    return s.toString();
  }
}
