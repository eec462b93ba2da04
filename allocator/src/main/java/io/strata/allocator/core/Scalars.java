package io.strata.allocator.core;

import io.strata.api.ResourcePool;
import io.strata.api.Resources;

/**
 * The scalar quantities DRF and quota count, as a {@code long[4]} so hot paths add and compare
 * without allocating: millicpus, memory bytes, disk bytes, GPUs. Ports are not scalar and never
 * count toward shares or quota (as in Mesos).
 */
final class Scalars {
  static final int CPUS = 0;
  static final int MEM = 1;
  static final int DISK = 2;
  static final int GPUS = 3;
  static final int N = 4;

  private Scalars() {}

  static long[] zero() {
    return new long[N];
  }

  static long[] of(Resources r) {
    return new long[] {r.millicpus(), r.memoryBytes(), r.diskBytes(), r.gpus()};
  }

  static long[] of(ResourcePool p) {
    long[] out = of(p.unreserved());
    for (Resources r : p.reserved().values()) {
      add(out, r);
    }
    return out;
  }

  static void add(long[] into, Resources r) {
    into[CPUS] += r.millicpus();
    into[MEM] += r.memoryBytes();
    into[DISK] += r.diskBytes();
    into[GPUS] += r.gpus();
  }

  /** Adds ({@code sign} +1) or subtracts (-1) {@code r}. */
  static void add(long[] into, Resources r, int sign) {
    into[CPUS] += sign * r.millicpus();
    into[MEM] += sign * r.memoryBytes();
    into[DISK] += sign * r.diskBytes();
    into[GPUS] += sign * r.gpus();
  }

  static void subtract(long[] from, Resources r) {
    from[CPUS] -= r.millicpus();
    from[MEM] -= r.memoryBytes();
    from[DISK] -= r.diskBytes();
    from[GPUS] -= r.gpus();
  }

  static void add(long[] into, long[] x) {
    for (int i = 0; i < N; i++) {
      into[i] += x[i];
    }
  }

  static void subtract(long[] from, long[] x) {
    for (int i = 0; i < N; i++) {
      from[i] -= x[i];
    }
  }

  static void add(long[] into, ResourcePool p) {
    add(into, p.unreserved());
    for (Resources r : p.reserved().values()) {
      add(into, r);
    }
  }

  static void subtract(long[] from, ResourcePool p) {
    subtract(from, p.unreserved());
    for (Resources r : p.reserved().values()) {
      subtract(from, r);
    }
  }

  static boolean isZero(long[] x) {
    for (long v : x) {
      if (v != 0) {
        return false;
      }
    }
    return true;
  }

  /** Each quantity of {@code a} minus {@code b}, floored at zero. */
  static long[] minusClamped(long[] a, long[] b) {
    long[] out = new long[N];
    for (int i = 0; i < N; i++) {
      out[i] = Math.max(0, a[i] - b[i]);
    }
    return out;
  }

  /**
   * The dominant share: the largest of allocated/total over the quantities the cluster has, divided
   * by the weight. Quantities the cluster has none of are ignored.
   */
  static double share(long[] allocated, long[] total, double weight) {
    double max = 0;
    for (int i = 0; i < N; i++) {
      if (total[i] > 0) {
        double s = (double) allocated[i] / total[i];
        if (s > max) {
          max = s;
        }
      }
    }
    return max / weight;
  }

  /** {@code r} with each scalar cut down to at most {@code cap}; ports kept. */
  static Resources shrink(Resources r, long[] cap) {
    if (r.millicpus() <= cap[CPUS]
        && r.memoryBytes() <= cap[MEM]
        && r.diskBytes() <= cap[DISK]
        && r.gpus() <= cap[GPUS]) {
      return r;
    }
    return new Resources(
        Math.min(r.millicpus(), Math.max(0, cap[CPUS])),
        Math.min(r.memoryBytes(), Math.max(0, cap[MEM])),
        Math.min(r.diskBytes(), Math.max(0, cap[DISK])),
        Math.min(r.gpus(), Math.max(0, cap[GPUS])),
        r.ports());
  }

  static Resources toResources(long[] x) {
    return new Resources(x[CPUS], x[MEM], x[DISK], x[GPUS], null);
  }

  /** True if each scalar of {@code r} is at least the same scalar of {@code min}. */
  static boolean covers(long[] r, Resources min) {
    return r[CPUS] >= min.millicpus()
        && r[MEM] >= min.memoryBytes()
        && r[DISK] >= min.diskBytes()
        && r[GPUS] >= min.gpus();
  }
}
