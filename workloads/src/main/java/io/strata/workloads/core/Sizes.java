package io.strata.workloads.core;

import io.strata.api.Quantities;

/** Sizes for people: {@code 512 MiB}, {@code 1.5 GiB}. */
public final class Sizes {
  private Sizes() {}

  public static String human(long bytes) {
    String s = Quantities.formatBytes(bytes);
    return s.endsWith("B")
        ? s.substring(0, s.length() - 1) + " B"
        : s.replaceAll("([A-Za-z]+)$", " $1B");
  }
}
