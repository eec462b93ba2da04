package io.strata.api;

import io.strata.api.json.Durations;
import io.strata.api.json.ValidationException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/**
 * Human quantities to integer units and back, without doubles: CPUs as {@code 0.5} or {@code 500m}
 * to millicpus; sizes as {@code 512Mi}, {@code 1Gi}, {@code 1G}, {@code 4096} to bytes.
 */
public final class Quantities {
  public static final long KIB = 1024;
  public static final long MIB = 1024 * KIB;
  public static final long GIB = 1024 * MIB;
  public static final long TIB = 1024 * GIB;

  private Quantities() {}

  /** What a CPU amount may look like, for messages. */
  public static final String CPU_FORMS = "a CPU amount such as 2, 0.5 or 500m (millicpus)";

  /** What a size may look like, for messages. */
  public static final String SIZE_FORMS =
      "a size such as 512Mi, 1Gi (Ki Mi Gi Ti Pi: powers of 1024), 500M, 1G (k M G T P: powers of"
          + " 1000), 4096B, or a bare number of MiB";

  /** What a duration may look like, for messages. */
  public static final String DURATION_FORMS = Durations.FORMS;

  /**
   * {@code 2} → 2000, {@code 0.25} → 250, {@code 250m} → 250 (Kubernetes' notation). More than 3
   * decimals is refused, and so is anything else ({@code 100M}, {@code 1 cpu}): never a guess.
   */
  public static long parseMillicpus(String text) {
    String t = text.trim();
    try {
      if (t.endsWith("m")) {
        String number = t.substring(0, t.length() - 1);
        if (!number.chars().allMatch(Character::isDigit) || number.isEmpty()) {
          throw new NumberFormatException();
        }
        return Long.parseLong(number);
      }
      if (!t.matches("-?[0-9]+(\\.[0-9]+)?")) {
        throw new NumberFormatException();
      }
      BigDecimal cpus = new BigDecimal(t);
      BigDecimal milli = cpus.movePointRight(3);
      if (milli.stripTrailingZeros().scale() > 0) {
        throw new ValidationException(
            "", "'" + text + "' has more precision than a millicpu (0.001)");
      }
      return nonNegative(milli.longValueExact(), text);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new ValidationException("", "'" + text + "' is not " + CPU_FORMS);
    }
  }

  /** Kubernetes' quantity suffixes, and B for bytes; longest first so Mi wins over M. */
  private static final String[][] SIZE_SUFFIXES = {
    {"Ki", "1024"},
    {"Mi", Long.toString(MIB)},
    {"Gi", Long.toString(GIB)},
    {"Ti", Long.toString(TIB)},
    {"Pi", Long.toString(TIB * 1024)},
    {"k", "1000"},
    {"M", "1000000"},
    {"G", "1000000000"},
    {"T", "1000000000000"},
    {"P", "1000000000000000"},
    {"B", "1"}
  };

  /**
   * Parses a size. A bare number is in {@code defaultUnit} bytes (Mesos' text format counts MiB);
   * the suffixes are Kubernetes' (Ki, Mi, Gi, Ti, Pi binary; k, M, G, T, P decimal) and B (bytes).
   * Forms people mean differently ({@code 16MB}, {@code 16mb}, {@code 1K}, {@code 100m}) are
   * refused with the accepted forms, never guessed.
   */
  public static long parseBytes(String text, long defaultUnit) {
    String t = text.trim();
    String upper = t.toUpperCase(Locale.ROOT);
    for (String ambiguous : new String[] {"KB", "MB", "GB", "TB", "PB", "KIB", "MIB", "GIB"}) {
      if (upper.endsWith(ambiguous)) {
        String number = t.substring(0, t.length() - ambiguous.length()).trim();
        String binary = ambiguous.substring(0, 1) + "i";
        String decimal = ambiguous.charAt(0) == 'K' ? "k" : ambiguous.substring(0, 1);
        throw new ValidationException(
            "",
            "'"
                + text
                + "' is ambiguous: write "
                + number
                + binary
                + " (powers of 1024) or "
                + number
                + decimal
                + " (powers of 1000); accepted: "
                + SIZE_FORMS);
      }
    }
    long unit = defaultUnit;
    String number = t;
    for (String[] s : SIZE_SUFFIXES) {
      if (t.endsWith(s[0])) {
        unit = Long.parseLong(s[1]);
        number = t.substring(0, t.length() - s[0].length());
        break;
      }
    }
    try {
      if (!number.matches("-?[0-9]+(\\.[0-9]+)?")) {
        throw new NumberFormatException();
      }
      BigDecimal bytes = new BigDecimal(number).multiply(BigDecimal.valueOf(unit));
      return nonNegative(bytes.setScale(0, RoundingMode.CEILING).longValueExact(), text);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new ValidationException("", "'" + text + "' is not " + SIZE_FORMS);
    }
  }

  /**
   * A duration in milliseconds: {@code 500ms}, {@code 3s}, {@code 2m}, {@code 1h}, {@code 1d}, or
   * several in a row ({@code 1m30s}); a bare integer is milliseconds. Anything else is refused. The
   * grammar is {@link Durations}', which the JSON codec reads {@code *Millis} fields with.
   */
  public static long parseMillis(String text) {
    return Durations.parseMillis(text);
  }

  /** 1500 → {@code 1.5}, 2000 → {@code 2}. */
  public static String formatCpus(long millicpus) {
    return BigDecimal.valueOf(millicpus, 3).stripTrailingZeros().toPlainString();
  }

  /** Bytes in the largest binary unit that keeps it readable: {@code 512Mi}, {@code 1.5Gi}. */
  public static String formatBytes(long bytes) {
    long[] units = {TIB, GIB, MIB, KIB};
    String[] names = {"Ti", "Gi", "Mi", "Ki"};
    for (int i = 0; i < units.length; i++) {
      if (bytes >= units[i]) {
        BigDecimal v =
            BigDecimal.valueOf(bytes)
                .divide(BigDecimal.valueOf(units[i]), 2, RoundingMode.HALF_UP)
                .stripTrailingZeros();
        return v.toPlainString() + names[i];
      }
    }
    return bytes + "B";
  }

  /**
   * Bytes for people, in messages and "why" texts: {@code 512 MiB}, {@code 1.5 GiB}, {@code 7 B}
   * ({@link #formatBytes} with a space and the {@code B}). The one such format of every module.
   */
  public static String humanBytes(long bytes) {
    String s = formatBytes(bytes);
    return s.endsWith("B")
        ? s.substring(0, s.length() - 1) + " B"
        : s.replaceAll("([A-Za-z]+)$", " $1B");
  }

  private static long nonNegative(long value, String text) {
    if (value < 0) {
      throw new ValidationException("", "'" + text + "' must not be negative");
    }
    return value;
  }
}
