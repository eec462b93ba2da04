package io.strata.workloads.core;

import java.time.Instant;
import java.util.List;

/** What a job's schedule asks for at a given moment. */
public sealed interface CronDecision {
  /** Nothing to do until {@code next} (null: never again). */
  record NotDue(Instant next) implements CronDecision {}

  /** Start a run for the cron time {@code scheduledFor}, after stopping {@code replace}. */
  record Start(Instant scheduledFor, List<String> replace) implements CronDecision {
    public Start {
      replace = List.copyOf(replace);
    }
  }

  /** The cron time {@code scheduledFor} passes without a run, because {@code why}. */
  record Skip(Instant scheduledFor, String why) implements CronDecision {}
}
