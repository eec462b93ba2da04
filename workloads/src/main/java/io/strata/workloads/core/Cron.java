package io.strata.workloads.core;

import io.strata.api.json.ValidationException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.Locale;
import java.util.Optional;

/**
 * A cron expression: five fields (minute hour day-of-month month day-of-week, as crontab(5)) or six
 * with leading seconds (as Quartz and Spring), plus the macros {@code @yearly}, {@code @monthly},
 * {@code @weekly}, {@code @daily}, {@code @hourly}. Fields take {@code *}, {@code ?}, numbers,
 * names ({@code JAN}, {@code MON}), ranges {@code a-b}, steps {@code * /n} and {@code a-b/n}, and
 * lists. As in crontab, when both day fields are restricted a day matches if either does. Day of
 * week 0 and 7 are Sunday.
 */
public final class Cron {
  private static final String[] MONTHS = {
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"
  };
  private static final String[] DAYS = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

  /** How far ahead {@link #next} looks before deciding an expression never fires (Feb 30). */
  private static final int MAX_YEARS_AHEAD = 8;

  private final String text;
  private final BitSet seconds;
  private final BitSet minutes;
  private final BitSet hours;
  private final BitSet daysOfMonth;
  private final BitSet months;
  private final BitSet daysOfWeek;
  private final boolean domRestricted;
  private final boolean dowRestricted;
  private final boolean hasSeconds;

  private Cron(String text, String[] f, boolean hasSeconds) {
    this.text = text;
    this.hasSeconds = hasSeconds;
    int i = 0;
    this.seconds = hasSeconds ? field("seconds", f[i++], 0, 59, null) : single(0);
    this.minutes = field("minutes", f[i++], 0, 59, null);
    this.hours = field("hours", f[i++], 0, 23, null);
    this.domRestricted = !isWildcard(f[i]);
    this.daysOfMonth = field("day of month", f[i++], 1, 31, null);
    this.months = field("month", f[i++], 1, 12, MONTHS);
    this.dowRestricted = !isWildcard(f[i]);
    BitSet dow = field("day of week", f[i], 0, 7, DAYS);
    if (dow.get(7)) {
      dow.set(0);
      dow.clear(7);
    }
    this.daysOfWeek = dow;
  }

  /** Parses an expression, or throws a ValidationException saying what is wrong. */
  public static Cron parse(String expression) {
    if (expression == null || expression.isBlank()) {
      throw new ValidationException("", "a cron expression is required");
    }
    String text = expression.trim();
    String expanded =
        switch (text.toLowerCase(Locale.ROOT)) {
          case "@yearly", "@annually" -> "0 0 1 1 *";
          case "@monthly" -> "0 0 1 * *";
          case "@weekly" -> "0 0 * * 0";
          case "@daily", "@midnight" -> "0 0 * * *";
          case "@hourly" -> "0 * * * *";
          default -> text;
        };
    if (expanded.startsWith("@")) {
      throw new ValidationException(
          "",
          "unknown macro '"
              + text
              + "'; expected @yearly, @annually, @monthly, @weekly, @daily, @midnight or @hourly");
    }
    String[] fields = expanded.split("\\s+");
    if (fields.length != 5 && fields.length != 6) {
      throw new ValidationException(
          "",
          "'"
              + text
              + "' has "
              + fields.length
              + " fields; expected 5 (minute hour day month weekday) or 6 (with leading seconds)");
    }
    Cron cron = new Cron(text, fields, fields.length == 6);
    if (cron.next(Instant.EPOCH, ZoneId.of("UTC")).isEmpty()) {
      throw new ValidationException("", "'" + text + "' never fires");
    }
    return cron;
  }

  /** The first time strictly after {@code after} that matches, in {@code zone}. */
  public Optional<Instant> next(Instant after, ZoneId zone) {
    ZonedDateTime t = after.atZone(zone).truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
    if (!hasSeconds && t.getSecond() != 0) {
      t = t.truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
    }
    int limitYear = t.getYear() + MAX_YEARS_AHEAD;
    while (t.getYear() <= limitYear) {
      if (!months.get(t.getMonthValue())) {
        t = t.withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS).plusMonths(1);
        continue;
      }
      if (!dayMatches(t)) {
        t = t.truncatedTo(ChronoUnit.DAYS).plusDays(1);
        continue;
      }
      if (!hours.get(t.getHour())) {
        t = t.truncatedTo(ChronoUnit.HOURS).plusHours(1);
        continue;
      }
      if (!minutes.get(t.getMinute())) {
        t = t.truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        continue;
      }
      if (!seconds.get(t.getSecond())) {
        t = t.plusSeconds(1);
        continue;
      }
      return Optional.of(t.toInstant());
    }
    return Optional.empty();
  }

  private boolean dayMatches(ZonedDateTime t) {
    boolean dom = daysOfMonth.get(t.getDayOfMonth());
    boolean dow = daysOfWeek.get(t.getDayOfWeek().getValue() % 7);
    if (domRestricted && dowRestricted) {
      return dom || dow;
    }
    return dom && dow;
  }

  private static boolean isWildcard(String field) {
    return field.equals("*") || field.equals("?");
  }

  private static BitSet single(int value) {
    BitSet b = new BitSet();
    b.set(value);
    return b;
  }

  private static BitSet field(String name, String text, int min, int max, String[] names) {
    BitSet bits = new BitSet(max + 1);
    for (String part : text.split(",", -1)) {
      int step = 1;
      String range = part;
      int slash = part.indexOf('/');
      if (slash >= 0) {
        step = number(name, part.substring(slash + 1), 1, max, null);
        range = part.substring(0, slash);
      }
      int from;
      int to;
      if (range.equals("*") || range.equals("?")) {
        from = min;
        to = max;
      } else {
        int dash = range.indexOf('-', 1);
        from = number(name, dash < 0 ? range : range.substring(0, dash), min, max, names);
        to =
            dash < 0
                ? (slash >= 0 ? max : from)
                : number(name, range.substring(dash + 1), min, max, names);
        if (to < from) {
          throw new ValidationException(
              "", name + ": range '" + range + "' goes backwards (" + from + " > " + to + ")");
        }
      }
      for (int v = from; v <= to; v += step) {
        bits.set(v);
      }
    }
    return bits;
  }

  private static int number(String name, String text, int min, int max, String[] names) {
    if (names != null) {
      for (int i = 0; i < names.length; i++) {
        if (names[i].equalsIgnoreCase(text)) {
          return names == MONTHS ? i + 1 : i;
        }
      }
    }
    int value;
    try {
      value = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new ValidationException(
          "", name + ": '" + text + "' is not a number" + (names == null ? "" : " or a name"));
    }
    if (value < min || value > max) {
      throw new ValidationException(
          "", name + ": " + value + " is out of range " + min + "-" + max);
    }
    return value;
  }

  @Override
  public String toString() {
    return text;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Cron c && c.text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }
}
