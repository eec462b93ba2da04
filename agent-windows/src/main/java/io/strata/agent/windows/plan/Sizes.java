package io.strata.agent.windows.plan;

/** Byte counts for people: whole MiB / GiB when exact, otherwise bytes. */
public final class Sizes {
  private static final long MIB = 1L << 20;
  private static final long GIB = 1L << 30;

  private Sizes() {}

  public static String human(long bytes) {
    if (bytes > 0 && bytes % GIB == 0) {
      return bytes / GIB + " GiB";
    }
    if (bytes >= MIB) {
      long mib = (bytes + MIB / 2) / MIB;
      return (bytes % MIB == 0 ? "" : "~") + mib + " MiB";
    }
    return bytes + " bytes";
  }
}
