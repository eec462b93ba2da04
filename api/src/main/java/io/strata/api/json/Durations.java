package io.strata.api.json;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write them ({@code 500ms}, {@code 3s}, {@code 1m30s}, or a number of
 * milliseconds): the grammar the codec reads every {@code *Millis} field with, and that {@code
 * Quantities.parseMillis} offers the rest of Strata. It lives with the codec so that the codec
 * depends on nothing above it.
 */
public final class Durations {
  /** What a duration may look like, for messages. */
  public static final String FORMS =
      "a duration such as 500ms, 3s, 2m, 1h or 1m30s, or a number of milliseconds";

  private Durations() {}

  private static final Pattern DURATION_PART = Pattern.compile("([0-9]+)(ms|s|m|h|d)");

  /**
   * A duration in milliseconds: {@code 500ms}, {@code 3s}, {@code 2m}, {@code 1h}, {@code 1d}, or
   * several in a row ({@code 1m30s}); a bare integer is milliseconds. Anything else is refused.
   */
  public static long parseMillis(String text) {
    String t = text.trim();
    try {
      if (t.matches("[0-9]+")) {
        return Long.parseLong(t);
      }
      Matcher m = DURATION_PART.matcher(t);
      long total = 0;
      int at = 0;
      while (at < t.length() && m.find(at) && m.start() == at) {
        long n = Long.parseLong(m.group(1));
        long unit =
            switch (m.group(2)) {
              case "ms" -> 1;
              case "s" -> 1_000;
              case "m" -> 60_000;
              case "h" -> 3_600_000;
              default -> 86_400_000;
            };
        total = Math.addExact(total, Math.multiplyExact(n, unit));
        at = m.end();
      }
      if (at == 0 || at != t.length()) {
        throw new NumberFormatException();
      }
      return total;
    } catch (NumberFormatException | ArithmeticException e) {
      throw new ValidationException("", "'" + text + "' is not " + FORMS);
    }
  }
}
