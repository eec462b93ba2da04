package io.strata.allocator.sim;

import java.time.Duration;
import java.time.Instant;

/** Simulated time: moves only when told to. */
public final class VirtualClock {
  private Instant now;

  public VirtualClock(Instant start) {
    this.now = start;
  }

  public Instant now() {
    return now;
  }

  public void advance(Duration d) {
    now = now.plus(d);
  }

  public void advanceTo(Instant t) {
    if (t.isAfter(now)) {
      now = t;
    }
  }
}
