package io.strata.workloads.core;

import io.strata.api.json.Checks;
import io.strata.api.json.ValidationException;
import java.time.DateTimeException;
import java.time.ZoneId;

/**
 * When a job runs by itself: a {@link Cron} expression in {@code timeZone} (default UTC), what to
 * do if a run is still active ({@code concurrencyPolicy}, default FORBID), and how late a missed
 * run may still start ({@code startingDeadlineMillis}; null: however late, but at most once).
 */
public record Schedule(
    String cron,
    String timeZone,
    ConcurrencyPolicy concurrencyPolicy,
    Long startingDeadlineMillis) {

  public Schedule {
    timeZone = timeZone == null ? "UTC" : timeZone;
    concurrencyPolicy = concurrencyPolicy == null ? ConcurrencyPolicy.FORBID : concurrencyPolicy;
    Checks c = new Checks().notBlank("cron", cron);
    if (cron != null && !cron.isBlank()) {
      c.nested("cron", () -> Cron.parse(cron));
    }
    try {
      ZoneId.of(timeZone);
    } catch (DateTimeException e) {
      c.require(false, "timeZone", "unknown time zone '" + timeZone + "' (e.g. UTC, Europe/Paris)");
    }
    if (startingDeadlineMillis != null) {
      c.range("startingDeadlineMillis", startingDeadlineMillis, 0, 365L * 86_400_000);
    }
    c.done();
  }

  public static Schedule of(String cron, ConcurrencyPolicy policy) {
    return new Schedule(cron, null, policy, null);
  }

  public Cron parsedCron() {
    try {
      return Cron.parse(cron);
    } catch (ValidationException e) {
      throw new IllegalStateException("checked in the constructor", e);
    }
  }

  public ZoneId zone() {
    return ZoneId.of(timeZone);
  }
}
