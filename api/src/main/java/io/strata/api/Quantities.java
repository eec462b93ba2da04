package io.strata.api;

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

  /** {@code 2} → 2000, {@code 0.25} → 250, {@code 250m} → 250. More than 3 decimals is refused. */
  public static long parseMillicpus(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    try {
      if (t.endsWith("m")) {
        return nonNegative(Long.parseLong(t.substring(0, t.length() - 1).trim()), text);
      }
      BigDecimal cpus = new BigDecimal(t);
      BigDecimal milli = cpus.movePointRight(3);
      if (milli.stripTrailingZeros().scale() > 0) {
        throw new ValidationException(
            "", "'" + text + "' has more precision than a millicpu (0.001)");
      }
      return nonNegative(milli.longValueExact(), text);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new ValidationException("", "'" + text + "' is not a CPU amount like 2, 0.5 or 500m");
    }
  }

  /**
   * Parses a size. A bare number is in {@code defaultUnit} bytes (Mesos' text format counts MiB);
   * suffixes Ki, Mi, Gi, Ti (binary) and K, M, G, T (decimal) and B are accepted.
   */
  public static long parseBytes(String text, long defaultUnit) {
    String t = text.trim();
    long unit = defaultUnit;
    String number = t;
    String[][] suffixes = {
      {"Ki", "1024"},
      {"Mi", Long.toString(MIB)},
      {"Gi", Long.toString(GIB)},
      {"Ti", Long.toString(TIB)},
      {"KB", "1000"},
      {"MB", "1000000"},
      {"GB", "1000000000"},
      {"TB", "1000000000000"},
      {"K", "1000"},
      {"M", "1000000"},
      {"G", "1000000000"},
      {"T", "1000000000000"},
      {"B", "1"}
    };
    for (String[] s : suffixes) {
      if (t.endsWith(s[0])) {
        unit = Long.parseLong(s[1]);
        number = t.substring(0, t.length() - s[0].length()).trim();
        break;
      }
    }
    try {
      BigDecimal bytes = new BigDecimal(number).multiply(BigDecimal.valueOf(unit));
      return nonNegative(bytes.setScale(0, RoundingMode.CEILING).longValueExact(), text);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new ValidationException("", "'" + text + "' is not a size like 512Mi, 2Gi or 1024");
    }
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

  private static long nonNegative(long value, String text) {
    if (value < 0) {
      throw new ValidationException("", "'" + text + "' must not be negative");
    }
    return value;
  }
}
