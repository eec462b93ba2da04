package io.strata.agent.windows.plan;

/**
 * Names of task job objects. A name must not contain a backslash (that selects a namespace) and
 * must stay short: we keep letters, digits, '.', '_' and '-' of the container id, replace anything
 * else by '_', and shorten long ids to a prefix plus a hash of the whole id. Names are unique per
 * container id, and the same id always gives the same name: that is how a restarted agent finds its
 * jobs again.
 */
public final class JobNames {
  public static final String PREFIX = "strata-";
  static final int MAX_ID_LENGTH = 120;

  private JobNames() {}

  public static String forContainer(String containerId) {
    if (containerId == null || containerId.isBlank()) {
      throw new IllegalArgumentException("a container id is required");
    }
    StringBuilder safe = new StringBuilder();
    for (char c : containerId.toCharArray()) {
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '.'
              || c == '_'
              || c == '-';
      safe.append(ok ? c : '_');
    }
    boolean lossy = safe.length() > MAX_ID_LENGTH || !safe.toString().equals(containerId);
    if (!lossy) {
      return PREFIX + safe;
    }
    String head =
        safe.length() > MAX_ID_LENGTH ? safe.substring(0, MAX_ID_LENGTH) : safe.toString();
    return PREFIX + head + "-" + fnv1a(containerId);
  }

  /** 64-bit FNV-1a of the UTF-16 code units, in hex: tells apart ids that sanitize alike. */
  static String fnv1a(String text) {
    long hash = 0xcbf29ce484222325L;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      hash ^= c & 0xff;
      hash *= 0x100000001b3L;
      hash ^= c >>> 8;
      hash *= 0x100000001b3L;
    }
    return Long.toHexString(hash);
  }
}
