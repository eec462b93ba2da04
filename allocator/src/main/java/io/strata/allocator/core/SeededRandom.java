package io.strata.allocator.core;

/**
 * SplitMix64: a tiny seeded generator whose sequence is fixed by the seed on every JDK, so that the
 * same seed and the same events give the same offers everywhere.
 */
final class SeededRandom {
  private long state;

  SeededRandom(long seed) {
    this.state = seed;
  }

  long nextLong() {
    long z = (state += 0x9E3779B97F4A7C15L);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** Uniform in {@code [0, bound)}. */
  int nextInt(int bound) {
    return (int) Math.floorMod(nextLong(), (long) bound);
  }

  /** Fisher–Yates shuffle of the first {@code n} entries. */
  void shuffle(int[] values, int n) {
    for (int i = n - 1; i > 0; i--) {
      int j = nextInt(i + 1);
      int t = values[i];
      values[i] = values[j];
      values[j] = t;
    }
  }
}
