package io.strata.benchmarks;

import java.time.Duration;

/**
 * How every harness's {@code main} runs: a failure prints what failed and exits 1, success exits 0
 * even if a server thread would keep the JVM alive, and a run that outlasts its limit (property
 * {@code strata.bench.limit}, an ISO-8601 duration, default two hours) exits 3 instead of hanging.
 */
public final class Harness {
  /** What a harness does; may throw anything. */
  @FunctionalInterface
  public interface Body {
    void run() throws Exception;
  }

  private Harness() {}

  public static void run(String name, Body body) {
    Duration limit = Duration.parse(System.getProperty("strata.bench.limit", "PT2H"));
    Thread watchdog =
        new Thread(
            () -> {
              try {
                Thread.sleep(limit.toMillis());
              } catch (InterruptedException e) {
                return;
              }
              System.out.flush();
              System.err.printf("%s: did not finish within %s; stopped%n", name, limit);
              System.err.flush();
              Runtime.getRuntime().halt(3);
            },
            "harness-limit");
    watchdog.setDaemon(true);
    watchdog.start();
    try {
      body.run();
    } catch (Throwable t) {
      System.out.flush();
      System.err.printf("%s: failed: %s%n", name, t);
      t.printStackTrace();
      System.err.flush();
      System.exit(1);
    }
    System.out.flush();
    System.exit(0);
  }
}
