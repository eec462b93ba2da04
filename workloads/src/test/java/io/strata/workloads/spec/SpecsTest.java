package io.strata.workloads.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.api.HealthCheck;
import io.strata.api.Os;
import io.strata.api.Quantities;
import io.strata.api.json.Codec;
import io.strata.api.json.ValidationException;
import io.strata.api.json.Violation;
import io.strata.workloads.core.ConcurrencyPolicy;
import io.strata.workloads.core.Constraint;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpecsTest {

  static final String WEB =
      """
      kind: service
      id: web
      instances: 3
      command: busybox httpd -f -p $PORT0
      resources: {cpus: 0.5, mem: 512Mi, ports: 1}
      env: {GREETING: hello}
      healthCheck: {type: HTTP, portIndex: 0, path: /, intervalMillis: 2000}
      constraints:
        - {attribute: hostname, operator: UNIQUE}
        - {attribute: zone, operator: EQUALS, value: eu-1}
      upgrade: {maxSurge: 1, maxUnavailable: 1}
      """;

  @Test
  void decodesAServiceWithHumanQuantities() {
    AppSpec app = (AppSpec) Specs.decode("web.yaml", WEB);
    assertThat(app.id()).isEqualTo("web");
    assertThat(app.instances()).isEqualTo(3);
    assertThat(app.os()).isEqualTo(Os.LINUX);
    assertThat(app.template().demand().millicpus()).isEqualTo(500);
    assertThat(app.template().demand().memoryBytes()).isEqualTo(512 * Quantities.MIB);
    assertThat(app.template().ports()).isEqualTo(1);
    assertThat(app.healthCheck().type()).isEqualTo(HealthCheck.Type.HTTP);
    assertThat(app.constraints())
        .containsExactly(Constraint.unique("hostname"), Constraint.equalTo("zone", "eu-1"));
    assertThat(app.upgrade().maxUnavailable()).isEqualTo(1);
  }

  @Test
  void aBareMemoryNumberIsMebibytesAndJsonWorksToo() {
    String json =
        """
        {"kind": "service", "id": "w", "command": "true", "os": "windows",
         "resources": {"cpus": "250m", "mem": 64}}
        """;
    AppSpec app = (AppSpec) Specs.decode("w.json", json);
    assertThat(app.template().demand().memoryBytes()).isEqualTo(64 * Quantities.MIB);
    assertThat(app.template().demand().millicpus()).isEqualTo(250);
    assertThat(app.os()).isEqualTo(Os.WINDOWS);
  }

  @Test
  void roundTripsThroughJsonUnchanged() {
    AppSpec app = (AppSpec) Specs.decode("web.yaml", WEB);
    AppSpec again = Specs.decodeApp(Codec.JSON.encodeBytes(app));
    assertThat(again).isEqualTo(app);
  }

  @Test
  void decodesAJobWithASchedule() {
    JobSpec job =
        (JobSpec)
            Specs.decode(
                "j.yaml",
                """
                kind: job
                id: nightly
                args: [/bin/echo, hi]
                resources: {cpus: 0.1, mem: 16Mi}
                completions: 20
                parallelism: 5
                schedule: {cron: "*/10 * * * * *", concurrencyPolicy: REPLACE}
                """);
    assertThat(job.policy().completions()).isEqualTo(20);
    assertThat(job.policy().parallelism()).isEqualTo(5);
    assertThat(job.schedule().concurrencyPolicy()).isEqualTo(ConcurrencyPolicy.REPLACE);
    assertThat(job.historyLimit()).isEqualTo(10);
  }

  @Test
  void missingFieldsAreAllReportedWithTheirPaths() {
    assertThat(violations("x.yaml", "kind: service\ninstances: 2\n"))
        .extracting(Violation::field)
        .contains("id", "command", "resources");
  }

  @Test
  void negativeResourcesNameTheField() {
    List<Violation> v =
        violations(
            "x.yaml", "kind: service\nid: a\ncommand: 'true'\nresources: {cpus: -1, mem: 64Mi}\n");
    assertThat(v).extracting(Violation::field).containsExactly("resources.cpus");
    assertThat(v.get(0).message()).contains("negative");
  }

  @Test
  void unknownConstraintOperatorNamesTheChoices() {
    List<Violation> v =
        violations(
            "x.yaml",
            """
            kind: service
            id: a
            command: 'true'
            resources: {mem: 64Mi}
            constraints: [{attribute: zone, operator: NEAR, value: x}]
            """);
    assertThat(v).extracting(Violation::field).containsExactly("constraints[0].operator");
    assertThat(v.get(0).message()).contains("UNIQUE").contains("NEAR");
  }

  @Test
  void yamlSyntaxErrorsCarryTheLine() {
    List<Violation> v = violations("x.yaml", "kind: service\nid: [a\ncommand: x\n");
    assertThat(v).hasSize(1);
    assertThat(v.get(0).message()).contains("YAML syntax error").contains("line");
  }

  @Test
  void unknownFieldsAndBadValuesDeepInside() {
    List<Violation> v =
        violations(
            "x.yaml",
            """
            kind: job
            id: Bad_Id
            command: x
            resources: {mem: 10Qi}
            parallelism: 0
            schedule: {cron: "61 * * * *"}
            colour: red
            """);
    assertThat(v)
        .extracting(Violation::field)
        .contains("id", "resources.mem", "parallelism", "schedule.cron", "colour");
  }

  @Test
  void unknownKindIsRefused() {
    List<Violation> v = violations("x.yaml", "kind: daemon\nid: a\n");
    assertThat(v.get(0))
        .isEqualTo(
            new Violation(
                "kind",
                "must be 'service' or 'job' (was 'daemon'); the rest is checked as a service"));
    assertThat(v).extracting(Violation::field).contains("command", "resources");
  }

  @Test
  void aMisspeltKindIsReportedWithEverythingElseWrong() {
    List<Violation> v =
        violations(
            "x.yaml",
            "kind: servce\nid: Bad_Id\ncommand: x\nresources: {mem: 16MB}\ninstances: -1\n");
    assertThat(v.get(0).field()).isEqualTo("kind");
    assertThat(v.get(0).message()).contains("was 'servce'").contains("checked as a service");
    assertThat(v)
        .extracting(Violation::field)
        .containsExactlyInAnyOrder("kind", "id", "resources.mem", "instances");
    // No kind at all, but job-only fields: checked as a job.
    List<Violation> job = violations("x.yaml", "id: j\ncommand: x\ncompletions: 0\n");
    assertThat(job.get(0).message()).contains("is required").contains("checked as a job");
    assertThat(job).extracting(Violation::field).contains("resources");
  }

  @Test
  void aMisspeltFieldSaysWhatItProbablyMeantAndTriggersNoRuleOfItsOwn() {
    List<Violation> v =
        violations(
            "x.yaml",
            SMALL
                + "resources: {mem: 8Mi, ports: 1}\n"
                + "healthCheck: {type: TCP, portIndx: 0}\n"
                + "instancs: 2\n");
    assertThat(v)
        .containsExactlyInAnyOrder(
            new Violation("healthCheck.portIndx", "unknown field; did you mean 'portIndex'?"),
            new Violation("instancs", "unknown field; did you mean 'instances'?"));
    // Without a typo, the rules are still there, each with its own message.
    assertThat(violations("x.yaml", SMALL + "resources: {mem: 8Mi}\nhealthCheck: {type: TCP}\n"))
        .containsExactly(
            new Violation("healthCheck.port", "is required for TCP: set port or portIndex"));
    assertThat(
            violations(
                "x.yaml",
                SMALL
                    + "resources: {mem: 8Mi, ports: 1}\nhealthCheck: {type: TCP, port: 80, portIndex: 0}\n"))
        .containsExactly(new Violation("healthCheck.port", "set port or portIndex, not both"));
    // Far from every field: no guess.
    assertThat(violations("x.yaml", SMALL + "resources: {mem: 8Mi}\nzzz: 1\n"))
        .containsExactly(new Violation("zzz", "unknown field"));
  }

  @Test
  void aTopLevelStatusIsIgnoredSoShownSpecsCanBeAppliedAgain() {
    AppSpec app =
        (AppSpec)
            Specs.decode(
                "a.yaml", SMALL + "resources: {mem: 8Mi}\nstatus: {version: 3, running: 1}\n");
    assertThat(app.id()).isEqualTo("a");
  }

  @Test
  void healthCheckPortMustExist() {
    assertThat(
            violations(
                "x.yaml",
                """
                kind: service
                id: a
                command: x
                resources: {mem: 8Mi}
                healthCheck: {type: TCP, portIndex: 0}
                """))
        .extracting(Violation::field)
        .containsExactly("healthCheck.portIndex");
  }

  @Test
  void scalingIsNotANewVersionButACommandChangeIs() {
    AppSpec app = (AppSpec) Specs.decode("web.yaml", WEB);
    assertThat(app.withInstances(7).differsInTaskFrom(app)).isFalse();
    AppSpec changed = (AppSpec) Specs.decode("web.yaml", WEB.replace("$PORT0", "$PORT"));
    assertThat(changed.differsInTaskFrom(app)).isTrue();
  }

  static final String SMALL = "kind: service\nid: a\ncommand: x\n";

  @Test
  void durationsAreAcceptedAsPeopleWriteThemInEveryMillisField() {
    AppSpec app =
        (AppSpec)
            Specs.decode(
                "a.yaml",
                SMALL
                    + "resources: {cpus: 100m, mem: 16Mi, ports: 1}\n"
                    + "killGracePeriodMillis: 3s\n"
                    + "healthCheck: {type: TCP, portIndex: 0, intervalMillis: 500ms,"
                    + " gracePeriodMillis: 1m30s}\n"
                    + "restart: {initialDelayMillis: 2s, maxDelayMillis: 2m}\n");
    assertThat(app.killGracePeriodMillis()).isEqualTo(3_000L);
    assertThat(app.healthCheck().intervalMillis()).isEqualTo(500L);
    assertThat(app.healthCheck().gracePeriodMillis()).isEqualTo(90_000L);
    assertThat(app.restart().maxDelayMillis()).isEqualTo(120_000L);
    assertThat(app.template().demand().millicpus()).isEqualTo(100);
    assertThat(app.template().demand().memoryBytes()).isEqualTo(16 * Quantities.MIB);
    // The shorter name, and numbers as before.
    AppSpec renamed =
        (AppSpec) Specs.decode("a.yaml", SMALL + "resources: {mem: 16M}\nkillGracePeriod: 2500\n");
    assertThat(renamed.killGracePeriodMillis()).isEqualTo(2_500L);
    assertThat(renamed.template().demand().memoryBytes()).isEqualTo(16_000_000L);
    JobSpec job =
        (JobSpec)
            Specs.decode(
                "j.yaml",
                "kind: job\nid: j\ncommand: x\nresources: {mem: 1Gi}\nactiveDeadlineMillis: 10m\n");
    assertThat(job.activeDeadlineMillis()).isEqualTo(600_000L);
  }

  @Test
  void ambiguousOrUnknownUnitsAreRefusedWithTheFieldAndTheAcceptedForms() {
    List<Violation> v =
        violations(
            "a.yaml",
            SMALL
                + "resources: {cpus: 2 cores, mem: 16MB, disk: 100m}\n"
                + "killGracePeriodMillis: 3 seconds\n");
    assertThat(v)
        .extracting(Violation::field)
        .containsExactlyInAnyOrder(
            "resources.cpus", "resources.mem", "resources.disk", "killGracePeriodMillis");
    assertThat(v)
        .filteredOn(x -> x.field().equals("resources.mem"))
        .singleElement()
        .satisfies(
            x ->
                assertThat(x.message())
                    .contains("'16MB' is ambiguous")
                    .contains("16Mi")
                    .contains("16M (powers of 1000)"));
    assertThat(v)
        .filteredOn(x -> x.field().equals("killGracePeriodMillis"))
        .singleElement()
        .satisfies(x -> assertThat(x.message()).contains("3s").contains("500ms"));
    assertThat(v)
        .filteredOn(x -> x.field().equals("resources.cpus"))
        .singleElement()
        .satisfies(x -> assertThat(x.message()).contains("500m"));
  }

  private static List<Violation> violations(String file, String text) {
    try {
      Specs.decode(file, text);
    } catch (ValidationException e) {
      return e.violations();
    }
    throw new AssertionError("expected a ValidationException for\n" + text);
  }

  @Test
  void assertionHelperFailsOnValidInput() {
    assertThatThrownBy(() -> violations("web.yaml", WEB)).isInstanceOf(AssertionError.class);
  }
}
