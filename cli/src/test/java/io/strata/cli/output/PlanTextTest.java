package io.strata.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.workloads.core.FieldChange;
import io.strata.workloads.core.RolloutPlan;
import io.strata.workloads.core.RolloutPlan.Change;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlanTextTest {
  static String print(RolloutPlan p, String source) {
    StringWriter s = new StringWriter();
    PrintWriter out = new PrintWriter(s);
    PlanText.print(p, source, out);
    out.flush();
    return s.toString();
  }

  @Test
  void aRollingUpdateShowsEachFieldAndWhatHappensToInstances() {
    RolloutPlan p =
        new RolloutPlan(
            "service",
            "web",
            Change.ROLLING_UPDATE,
            3L,
            4L,
            1,
            0,
            2,
            List.of(
                FieldChange.changed("command", "serve v1", "serve v2"),
                FieldChange.changed("instances", 2, 3),
                FieldChange.added("env.NEW", "x"),
                FieldChange.removed("labels", Map.of("team", "web"))),
            List.of());
    assertThat(print(p, "web.yaml"))
        .isEqualTo(
            """
            ~ service web: rolling update, version 3 => 4  (web.yaml)
                ~ command: "serve v1" => "serve v2"
                ~ instances: 2 => 3
                + env.NEW: "x"
                - labels: {"team":"web"}
              instances: 2 replaced by a rolling update, 1 created
            """);
  }

  @Test
  void headlinesForEveryKindOfChange() {
    assertThat(print(plan("service", Change.NONE, 0, 0), null))
        .isEqualTo("= service web: no changes\n");
    assertThat(print(plan("service", Change.SCALE, 0, 2), null))
        .isEqualTo("~ service web: scale (version 2 stays)\n  instances: 2 destroyed\n");
    assertThat(print(plan("service", Change.IN_PLACE, 0, 0), null))
        .startsWith("~ service web: in-place update (version 2 stays, no restarts)\n")
        .contains("instances: none created, destroyed or replaced");
    RolloutPlan create =
        new RolloutPlan("service", "web", Change.CREATE, null, 1L, 3, 0, 0, List.of(), List.of());
    assertThat(print(create, null))
        .isEqualTo("+ service web: create (version 1)\n  instances: 3 created\n");
    RolloutPlan job =
        new RolloutPlan(
            "job",
            "batch",
            Change.UPDATE,
            null,
            null,
            0,
            0,
            0,
            List.of(FieldChange.changed("schedule.cron", "@hourly", "@daily")),
            List.of("runs started from now on use the new spec"));
    assertThat(print(job, null))
        .isEqualTo(
            """
            ~ job batch: update
                ~ schedule.cron: "@hourly" => "@daily"
              runs started from now on use the new spec
            """);
  }

  @Test
  void theSummaryCountsPlans() {
    assertThat(
            PlanText.summary(
                List.of(
                    plan("service", Change.NONE, 0, 0),
                    plan("service", Change.SCALE, 1, 0),
                    new RolloutPlan(
                        "job", "j", Change.CREATE, null, null, 1, 0, 0, List.of(), List.of()))))
        .isEqualTo("Plan: 1 to create, 1 to change, 1 unchanged.");
  }

  static RolloutPlan plan(String kind, Change change, int create, int destroy) {
    return new RolloutPlan(kind, "web", change, 2L, 2L, create, destroy, 0, List.of(), List.of());
  }
}
