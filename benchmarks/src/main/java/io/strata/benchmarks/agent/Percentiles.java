package io.strata.benchmarks.agent;

import java.util.Arrays;
import java.util.Locale;

/** Latency samples in nanoseconds, summarized in milliseconds. */
final class Percentiles {
  private final String name;
  private final long[] samples;
  private int n;

  Percentiles(String name, int capacity) {
    this.name = name;
    this.samples = new long[capacity];
  }

  void add(long nanos) {
    samples[n++] = nanos;
  }

  int count() {
    return n;
  }

  double at(double q) {
    long[] sorted = Arrays.copyOf(samples, n);
    Arrays.sort(sorted);
    int i = (int) Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1));
    return sorted[i] / 1e6;
  }

  double mean() {
    double sum = 0;
    for (int i = 0; i < n; i++) {
      sum += samples[i];
    }
    return sum / n / 1e6;
  }

  String row() {
    return String.format(
        Locale.ROOT,
        "| %-44s | %5d | %7.2f | %7.2f | %7.2f | %7.2f | %7.2f |",
        name,
        n,
        at(0.50),
        at(0.90),
        at(0.99),
        at(1.0),
        mean());
  }

  static String header() {
    return "| path | n | p50 ms | p90 ms | p99 ms | max ms | mean ms |\n"
        + "| --- | ---: | ---: | ---: | ---: | ---: | ---: |";
  }
}
