package io.strata.testkit;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Polls a condition with a generous timeout: tests of real processes wait for what they expect
 * without depending on how fast the machine is. Dependency-free: it needs nothing beyond JUnit and
 * AssertJ.
 */
public final class Eventually {
  public static final Duration PATIENCE =
      Duration.ofSeconds(Long.getLong("strata.test.patienceSeconds", 60));

  private Eventually() {}

  public static void await(String what, BooleanSupplier condition) {
    await(what, PATIENCE, condition);
  }

  public static void await(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long pause = 5;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      }
      try {
        Thread.sleep(pause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what, e);
      }
      pause = Math.min(100, pause * 2);
    }
  }

  /** Waits until {@code value} is non-null and returns it. */
  public static <T> T awaitValue(String what, Supplier<T> value) {
    Object[] holder = new Object[1];
    await(
        what,
        () -> {
          holder[0] = value.get();
          return holder[0] != null;
        });
    @SuppressWarnings("unchecked")
    T t = (T) holder[0];
    return t;
  }
}
