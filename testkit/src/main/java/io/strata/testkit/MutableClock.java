package io.strata.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock tests move by hand: timeouts happen when the test says so, not when the machine is slow.
 * The one test clock of the project: the allocator's and the workloads' tests inject it as their
 * {@code Clock}, the allocator simulation ({@code allocator-testing}) runs on it. Safe to read from
 * other threads (a server under test reads it while the test advances it).
 */
public final class MutableClock extends Clock {
  private volatile Instant now;

  public MutableClock(Instant start) {
    this.now = start;
  }

  /** Moves the clock forward by {@code d}. */
  public void advance(Duration d) {
    now = now.plus(d);
  }

  /** Moves the clock to {@code t} if {@code t} is later; never backwards. */
  public void advanceTo(Instant t) {
    if (t.isAfter(now)) {
      now = t;
    }
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
