package io.strata.workloads.core;

import static io.strata.workloads.core.SpecDiffTest.map;
import static org.assertj.core.api.Assertions.assertThat;

import io.strata.workloads.core.RolloutPlan.Change;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RolloutPlanTest {
  static final Map<String, Object> V1 = map("id", "web", "instances", 3, "command", "v1");

  @Test
  void aNewAppCreatesEveryInstanceAtVersionOne() {
    RolloutPlan p = RolloutPlan.forApp("web", null, 0, 0, V1, 3, true);
    assertThat(p.change()).isEqualTo(Change.CREATE);
    assertThat(p.toVersion()).isEqualTo(1);
    assertThat(p.create()).isEqualTo(3);
    assertThat(p.fields())
        .extracting(FieldChange::path)
        .containsExactly("id", "instances", "command");
    assertThat(p.changes()).isTrue();
  }

  @Test
  void anAppCreatedAgainWhileStoppingComesBackAsItsNextVersion() {
    assertThat(RolloutPlan.forApp("web", null, 4, 0, V1, 3, true).toVersion()).isEqualTo(5);
  }

  @Test
  void aTaskChangeReplacesInstancesInANewVersion() {
    Map<String, Object> next = map("id", "web", "instances", 5, "command", "v2");
    RolloutPlan p = RolloutPlan.forApp("web", V1, 4, 3, next, 5, true);
    assertThat(p.change()).isEqualTo(Change.ROLLING_UPDATE);
    assertThat(p.fromVersion()).isEqualTo(4);
    assertThat(p.toVersion()).isEqualTo(5);
    assertThat(p.replace()).isEqualTo(3);
    assertThat(p.create()).isEqualTo(2);
    assertThat(p.destroy()).isZero();
    assertThat(p.fields())
        .containsExactly(
            FieldChange.changed("instances", 3, 5), FieldChange.changed("command", "v1", "v2"));
  }

  @Test
  void aRollingUpdateThatScalesDownReplacesTheRest() {
    Map<String, Object> next = map("id", "web", "instances", 1, "command", "v2");
    RolloutPlan p = RolloutPlan.forApp("web", V1, 1, 3, next, 1, true);
    assertThat(p.replace()).isEqualTo(1);
    assertThat(p.destroy()).isEqualTo(2);
  }

  @Test
  void anInstanceCountChangeOnlyScales() {
    RolloutPlan p =
        RolloutPlan.forApp(
            "web", V1, 2, 3, map("id", "web", "instances", 1, "command", "v1"), 1, false);
    assertThat(p.change()).isEqualTo(Change.SCALE);
    assertThat(p.toVersion()).isEqualTo(2);
    assertThat(p.destroy()).isEqualTo(2);
    assertThat(p.replace()).isZero();
  }

  @Test
  void theSameSpecChangesNothingAndOtherSettingsChangeInPlace() {
    RolloutPlan same = RolloutPlan.forApp("web", V1, 2, 3, V1, 3, false);
    assertThat(same.change()).isEqualTo(Change.NONE);
    assertThat(same.fields()).isEmpty();
    assertThat(same.changes()).isFalse();
    Map<String, Object> next =
        map("id", "web", "instances", 3, "command", "v1", "revisionHistoryLimit", 3);
    RolloutPlan inPlace = RolloutPlan.forApp("web", V1, 2, 3, next, 3, false);
    assertThat(inPlace.change()).isEqualTo(Change.IN_PLACE);
    assertThat(inPlace.create() + inPlace.destroy() + inPlace.replace()).isZero();
  }

  @Test
  void aNewJobStartsARunOrWaitsForItsSchedule() {
    Map<String, Object> job = map("id", "batch", "completions", 20, "parallelism", 5);
    RolloutPlan once = RolloutPlan.forJob("batch", null, job, null, 20, 5, 0);
    assertThat(once.change()).isEqualTo(Change.CREATE);
    assertThat(once.create()).isEqualTo(5);
    assertThat(once.notes())
        .containsExactly("starts its first run now: 20 task(s) to complete, 5 at a time");
    RolloutPlan cron = RolloutPlan.forJob("batch", null, job, "*/5 * * * *", 20, 5, 0);
    assertThat(cron.create()).isZero();
    assertThat(cron.notes())
        .containsExactly("runs on the schedule '*/5 * * * *'; no run starts now");
  }

  @Test
  void aJobChangeShowsScheduleAndCommandChanges() {
    Map<String, Object> a = map("id", "c", "command", "old", "schedule", map("cron", "* * * * *"));
    Map<String, Object> b = map("id", "c", "command", "new", "schedule", map("cron", "@hourly"));
    RolloutPlan p = RolloutPlan.forJob("c", a, b, "@hourly", 1, 1, 2);
    assertThat(p.change()).isEqualTo(Change.UPDATE);
    assertThat(p.fields())
        .containsExactly(
            FieldChange.changed("command", "old", "new"),
            FieldChange.changed("schedule.cron", "* * * * *", "@hourly"));
    assertThat(p.notes())
        .containsExactly(
            "runs started from now on use the new spec",
            "2 active run(s) keep the tasks they have",
            "next runs follow the schedule '@hourly'");
    assertThat(RolloutPlan.forJob("c", a, a, "* * * * *", 1, 1, 0).change()).isEqualTo(Change.NONE);
    Map<String, Object> unscheduled = map("id", "c", "command", "old");
    assertThat(RolloutPlan.forJob("c", a, unscheduled, null, 1, 1, 0).notes())
        .contains("no longer scheduled: runs start only with strata start");
  }
}
