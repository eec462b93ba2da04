package io.strata.host;

import java.util.Locale;

/**
 * The operating system this JVM runs on: the one place that reads {@code os.name}. Platform code
 * splits by module (agent-linux, agent-windows); what remains are the few places where a portable
 * module must tolerate a platform's limits (a directory that cannot be opened to fsync it on
 * Windows) or pick the platform's module (the CLI's {@code strata agent}).
 */
public enum HostOs {
  LINUX,
  WINDOWS,
  /** Anything else (macOS, the BSDs): Strata runs its clients there, never an agent. */
  OTHER;

  private static final HostOs CURRENT = of(System.getProperty("os.name", ""));

  /** This machine's OS. */
  public static HostOs current() {
    return CURRENT;
  }

  /** The OS an {@code os.name} value names ({@code Linux}, {@code Windows Server 2022}, …). */
  public static HostOs of(String osName) {
    String name = osName.toLowerCase(Locale.ROOT);
    if (name.startsWith("windows")) {
      return WINDOWS;
    }
    return name.startsWith("linux") ? LINUX : OTHER;
  }

  /** Whether this machine runs Windows. */
  public static boolean windows() {
    return CURRENT == WINDOWS;
  }

  /** Whether this machine runs Linux. */
  public static boolean linux() {
    return CURRENT == LINUX;
  }

  /** The JVM's own name for this OS, for messages ({@code Linux}, {@code Windows 11}). */
  public static String describe() {
    return System.getProperty("os.name", "an unknown OS");
  }
}
