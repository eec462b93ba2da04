package io.strata.agent.linux.users;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The uids the agent gives to tasks, {@code first-last} inclusive ({@code 10000-19999}). They need
 * no entry in /etc/passwd; they must belong to nobody else on the machine.
 */
public record UidRange(int first, int last) {
  public static final UidRange DEFAULT = new UidRange(10_000, 19_999);
  private static final Pattern TEXT = Pattern.compile("\\s*(\\d{1,10})\\s*-\\s*(\\d{1,10})\\s*");

  /** The lowest first uid: below it live the system's accounts (and root). */
  public static final int MIN = 1000;

  /** The highest last uid: (uid_t) -2 is nobody on some systems, -1 is "no change". */
  public static final int MAX = Integer.MAX_VALUE - 1;

  public UidRange {
    if (first < MIN || last > MAX || first > last) {
      throw new IllegalArgumentException(
          "must be FIRST-LAST with " + MIN + " <= FIRST <= LAST <= " + MAX);
    }
  }

  /** Parses {@code first-last}. */
  public static UidRange parse(String text) {
    Matcher m = text == null ? null : TEXT.matcher(text);
    if (m == null || !m.matches()) {
      throw new IllegalArgumentException(
          "must be FIRST-LAST, e.g. 10000-19999 (was '" + text + "')");
    }
    long first = Long.parseLong(m.group(1));
    long last = Long.parseLong(m.group(2));
    if (first > MAX || last > MAX) {
      throw new IllegalArgumentException("uids go up to " + MAX + " (was '" + text + "')");
    }
    try {
      return new UidRange((int) first, (int) last);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage() + " (was '" + text + "')", e);
    }
  }

  public boolean contains(int uid) {
    return uid >= first && uid <= last;
  }

  public long size() {
    return (long) last - first + 1;
  }

  @Override
  public String toString() {
    return first + "-" + last;
  }
}
