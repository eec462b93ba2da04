package io.strata.workloads.core;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Decides when a scheduled job starts a run. Missed cron times (the framework was down) collapse
 * into one run for the latest of them, unless it is later than the starting deadline; the
 * concurrency policy decides what happens when a run is still active.
 */
public final class CronPlanner {
  /** Past this many missed times we stop walking them one by one and jump to the latest. */
  private static final int MAX_WALK = 10_000;

  private CronPlanner() {}

  /**
   * @param lastScheduled the cron time of the last run started or skipped (or when the job was
   *     created, before its first run)
   * @param activeRuns ids of the job's runs still active
   */
  public static CronDecision decide(
      Schedule schedule, Instant lastScheduled, Instant now, List<String> activeRuns) {
    Cron cron = schedule.parsedCron();
    Optional<Instant> next = cron.next(lastScheduled, schedule.zone());
    if (next.isEmpty() || next.get().isAfter(now)) {
      return new CronDecision.NotDue(next.orElse(null));
    }
    Instant due = latestDue(cron, schedule, next.get(), now);
    if (schedule.startingDeadlineMillis() != null
        && Duration.between(due, now).toMillis() > schedule.startingDeadlineMillis()) {
      return new CronDecision.Skip(
          due,
          "missed: more than "
              + Duration.ofMillis(schedule.startingDeadlineMillis())
              + " late (starting deadline)");
    }
    if (!activeRuns.isEmpty()) {
      switch (schedule.concurrencyPolicy()) {
        case FORBID -> {
          return new CronDecision.Skip(
              due, "concurrency policy FORBID: run " + activeRuns.get(0) + " is still active");
        }
        case REPLACE -> {
          return new CronDecision.Start(due, activeRuns);
        }
        case ALLOW -> {
          return new CronDecision.Start(due, List.of());
        }
      }
    }
    return new CronDecision.Start(due, List.of());
  }

  private static Instant latestDue(Cron cron, Schedule schedule, Instant first, Instant now) {
    Instant due = walk(cron, schedule, first, now);
    if (due != null) {
      return due;
    }
    // Long downtime with a frequent schedule: walk again from an hour ago (a 6-field cron fires at
    // most 3,600 times an hour, fewer than MAX_WALK).
    Optional<Instant> recent = cron.next(now.minus(Duration.ofHours(1)), schedule.zone());
    if (recent.isPresent() && !recent.get().isAfter(now)) {
      Instant again = walk(cron, schedule, recent.get(), now);
      if (again != null) {
        return again;
      }
    }
    return first;
  }

  /** The latest cron time from {@code due} on that is not after now; null if too many. */
  private static Instant walk(Cron cron, Schedule schedule, Instant due, Instant now) {
    Instant latest = due;
    for (int i = 0; i < MAX_WALK; i++) {
      Optional<Instant> after = cron.next(latest, schedule.zone());
      if (after.isEmpty() || after.get().isAfter(now)) {
        return latest;
      }
      latest = after.get();
    }
    return null;
  }
}
