package io.strata.workloads.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CronPlannerTest {
  static final Instant T0 = Instant.parse("2026-01-31T12:00:00Z");

  @Test
  void notDueUntilTheNextTime() {
    CronDecision d =
        CronPlanner.decide(
            Schedule.of("*/5 * * * *", ConcurrencyPolicy.ALLOW), T0, T0.plusSeconds(60), List.of());
    assertThat(d).isEqualTo(new CronDecision.NotDue(T0.plusSeconds(300)));
  }

  @Test
  void missedTimesCollapseIntoTheLatest() {
    CronDecision d =
        CronPlanner.decide(
            Schedule.of("*/5 * * * *", ConcurrencyPolicy.ALLOW),
            T0,
            T0.plusSeconds(3 * 3600 + 7),
            List.of());
    assertThat(d).isEqualTo(new CronDecision.Start(T0.plusSeconds(3 * 3600), List.of()));
  }

  @Test
  void everySecondAfterADayDownStillFindsTheLatest() {
    Instant now = T0.plusSeconds(86_400).plusMillis(500);
    CronDecision d =
        CronPlanner.decide(Schedule.of("* * * * * *", ConcurrencyPolicy.ALLOW), T0, now, List.of());
    assertThat(d).isEqualTo(new CronDecision.Start(T0.plusSeconds(86_400), List.of()));
  }

  @Test
  void concurrencyPolicies() {
    Instant now = T0.plusSeconds(301);
    List<String> active = List.of("r1");
    assertThat(
            CronPlanner.decide(
                Schedule.of("*/5 * * * *", ConcurrencyPolicy.FORBID), T0, now, active))
        .isInstanceOf(CronDecision.Skip.class);
    assertThat(
            CronPlanner.decide(
                Schedule.of("*/5 * * * *", ConcurrencyPolicy.REPLACE), T0, now, active))
        .isEqualTo(new CronDecision.Start(T0.plusSeconds(300), List.of("r1")));
    assertThat(
            CronPlanner.decide(
                Schedule.of("*/5 * * * *", ConcurrencyPolicy.ALLOW), T0, now, active))
        .isEqualTo(new CronDecision.Start(T0.plusSeconds(300), List.of()));
  }

  @Test
  void tooLateForTheStartingDeadlineIsSkipped() {
    Schedule s = new Schedule("*/5 * * * *", null, ConcurrencyPolicy.ALLOW, 60_000L);
    assertThat(CronPlanner.decide(s, T0, T0.plusSeconds(300 + 61), List.of()))
        .isInstanceOf(CronDecision.Skip.class);
    assertThat(CronPlanner.decide(s, T0, T0.plusSeconds(300 + 59), List.of()))
        .isInstanceOf(CronDecision.Start.class);
  }
}
