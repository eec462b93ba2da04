package io.strata.agent.linux.plan;

/** Byte counts as people read them: whole MiB when they are, else KiB, else bytes. */
public final class Sizes {
  private Sizes() {}

  public static String format(long bytes) {
    if (bytes >= 1 << 20) {
      long mib = bytes >> 20;
      return bytes % (1 << 20) == 0
          ? mib + " MiB"
          : String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }
    if (bytes >= 1024) {
      return (bytes >> 10) + " KiB";
    }
    return bytes + " bytes";
  }
}
