package io.strata.workloads.services;

import static io.strata.workloads.services.ServicesFrameworkTest.app;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.api.Os;
import io.strata.api.TaskId;
import io.strata.api.TaskState;
import io.strata.api.json.ValidationException;
import io.strata.testkit.MutableClock;
import io.strata.workloads.core.FieldChange;
import io.strata.workloads.core.Revision;
import io.strata.workloads.core.Revision.Outcome;
import io.strata.workloads.core.RolloutPlan;
import io.strata.workloads.framework.NotFound;
import io.strata.workloads.framework.SimulatedAllocator;
import io.strata.workloads.framework.SimulatedAllocator.Launched;
import io.strata.workloads.framework.TaskIds;
import io.strata.workloads.spec.AppSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Versions, history, rollback and dry runs against the real services framework. */
class ServicesRolloutTest {
  MutableClock clock = new MutableClock(Instant.parse("2026-01-31T12:00:00Z"));
  SimulatedAllocator allocator;
  ServicesFramework services;

  static final String WEB =
      """
      id: web
      instances: 2
      command: serve v1
      resources: {cpus: 0.5, mem: 256Mi, ports: 1}
      healthCheck: {type: HTTP, portIndex: 0, intervalMillis: 1000}
      upgrade: {maxSurge: 1, maxUnavailable: 0}
      restart: {initialDelayMillis: 1000, maxDelayMillis: 1000}
      """;

  @BeforeEach
  void cluster() {
    allocator =
        new SimulatedAllocator(clock)
            .agent("a1", Os.LINUX, Map.of(), "4", "4Gi")
            .agent("a2", Os.LINUX, Map.of(), "4", "4Gi");
    services = newFramework();
    services.subscribed(allocator.frameworkId(), allocator, false);
  }

  ServicesFramework newFramework() {
    return new ServicesFramework("services", clock, new TaskIds(new SplittableRandom(7)));
  }

  /** Offers, then every launched task starts healthy and every kill ends; then a tick. */
  void settle(ServicesFramework f) {
    for (int round = 0; round < 20; round++) {
      f.offers(allocator.offers());
      for (Launched l : allocator.activeWith(TaskState.STAGING)) {
        f.update(allocator.status(l.task().taskId(), TaskState.RUNNING, true, null));
      }
      for (TaskId killed : List.copyOf(allocator.kills)) {
        if (allocator.state(killed) != null && !allocator.state(killed).isTerminal()) {
          f.update(allocator.status(killed, TaskState.KILLED, null, null));
        }
      }
    }
    clock.advance(Duration.ofSeconds(11)); // past the default minHealthyMillis
    f.tick(clock.instant());
  }

  static AppSpec v(int n) {
    return app(WEB.replace("serve v1", "serve v" + n));
  }

  List<Revision<AppSpec>> revisions() {
    return services.history("web").revisions();
  }

  @Test
  void everyNewVersionIsRecordedWithCauseWhoAndOutcome() {
    services.submit(v(1), "alice");
    assertThat(revisions())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.version()).isEqualTo(1);
              assertThat(r.outcome()).isEqualTo(Outcome.DEPLOYING);
              assertThat(r.cause()).isEqualTo("created");
              assertThat(r.by()).isEqualTo("alice");
            });
    settle(services);
    assertThat(revisions().getFirst().outcome()).isEqualTo(Outcome.SUCCEEDED);

    clock.advance(Duration.ofMinutes(1));
    assertThat(services.submit(v(2), "bob")).isEqualTo("updated to version 2");
    Revision<AppSpec> two = revisions().getLast();
    assertThat(two.version()).isEqualTo(2);
    assertThat(two.cause()).isEqualTo("updated: command");
    assertThat(two.by()).isEqualTo("bob");
    assertThat(two.at()).isEqualTo(clock.instant());
    assertThat(two.outcome()).isEqualTo(Outcome.DEPLOYING);
    settle(services);
    assertThat(revisions())
        .extracting(Revision::outcome)
        .containsExactly(Outcome.SUCCEEDED, Outcome.SUCCEEDED);
    assertThat(services.history("web").version()).isEqualTo(2);
  }

  @Test
  void aVersionSucceedsOnlyOnceItsInstancesWereHealthyForMinHealthy() {
    services.submit(
        app(WEB.replace("maxUnavailable: 0}", "maxUnavailable: 0, minHealthyMillis: 5s}")), null);
    services.offers(allocator.offers());
    for (Launched l : allocator.activeWith(TaskState.STAGING)) {
      services.update(allocator.status(l.task().taskId(), TaskState.RUNNING, true, null));
    }
    assertThat(services.appView("web").status()).isEqualTo("RUNNING");
    clock.advance(Duration.ofMillis(4999));
    services.tick(clock.instant());
    assertThat(revisions().getLast().outcome()).isEqualTo(Outcome.DEPLOYING);
    clock.advance(Duration.ofMillis(1));
    services.tick(clock.instant());
    assertThat(revisions().getLast().outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(revisions().getLast().outcomeAt()).isEqualTo(clock.instant());
  }

  @Test
  void aVersionReplacedWhileDeployingIsSupersededAndScalingMakesNoVersion() {
    services.submit(v(1), "alice");
    services.submit(v(2), "alice"); // before v1 ran at all
    assertThat(services.submit(v(2).withInstances(3), "alice")).isEqualTo("scaled from 2 to 3");
    settle(services);
    assertThat(revisions())
        .extracting(Revision::outcome)
        .containsExactly(Outcome.SUPERSEDED, Outcome.SUCCEEDED);
    assertThat(revisions().getLast().spec().instances()).isEqualTo(3);
    assertThat(services.submit(v(2).with(3, 5), "alice"))
        .isEqualTo("updated in place (no new version)");
    assertThat(services.appView("web").version()).isEqualTo(2);
  }

  @Test
  void instancesThatKeepFailingFailTheDeployment() {
    services.submit(v(1), null);
    settle(services);
    services.submit(v(2), null);
    for (int i = 0; i < 3; i++) {
      services.offers(allocator.offers());
      Launched l = allocator.activeWith(TaskState.STAGING).getFirst();
      assertThat(l.task().taskId().value()).contains(".v2.");
      services.update(allocator.status(l.task().taskId(), TaskState.FAILED, null, 1));
      clock.advance(Duration.ofSeconds(2));
      services.tick(clock.instant());
    }
    Revision<AppSpec> two = revisions().getLast();
    assertThat(two.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(two.reason()).contains("3 instance failures", "FAILED", "exit 1");
    // the v1 instances still serve: maxUnavailable 0 kept them
    assertThat(services.appView("web").healthy()).isEqualTo(2);
  }

  @Test
  void rollbackStartsARollingUpdateToThePreviousVersionsTask() {
    services.submit(v(1), "alice");
    settle(services);
    services.submit(v(2), "alice");
    settle(services);
    services.scale("web", 3);
    settle(services);

    assertThat(services.rollback("web", null, "carol"))
        .isEqualTo("rolled back to v1's task as version 3");
    AppView view = services.appView("web");
    assertThat(view.version()).isEqualTo(3);
    assertThat(view.status()).isEqualTo("DEPLOYING");
    assertThat(view.spec().command()).isEqualTo("serve v1");
    assertThat(view.spec().instances()).isEqualTo(3); // the count stays
    settle(services);
    assertThat(services.appView("web").status()).isEqualTo("RUNNING");
    assertThat(allocator.active())
        .hasSize(3)
        .allMatch(l -> l.task().taskId().value().startsWith("web.v3."))
        .allMatch(l -> l.task().command().shell().equals("serve v1"));
    assertThat(revisions())
        .extracting(Revision::outcome)
        .containsExactly(Outcome.SUCCEEDED, Outcome.ROLLED_BACK, Outcome.SUCCEEDED);
    Revision<AppSpec> three = revisions().getLast();
    assertThat(three.cause()).isEqualTo("rollback to v1");
    assertThat(three.by()).isEqualTo("carol");

    assertThat(services.rollback("web", 2L, "carol")).contains("as version 4");
    assertThat(services.appView("web").spec().command()).isEqualTo("serve v2");
    assertThat(services.rollback("web", 2L, null)).isEqualTo("unchanged: v2 has the task v4 runs");
  }

  @Test
  void rollbackRefusalsSayWhy() {
    services.submit(v(1), null);
    assertThatThrownBy(() -> services.rollback("web", null, null))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("nothing to roll back to");
    assertThatThrownBy(() -> services.rollback("web", 9L, null))
        .isInstanceOf(NotFound.class)
        .hasMessageContaining("no v9")
        .hasMessageContaining("[v1]");
    assertThatThrownBy(() -> services.rollback("nope", null, null)).isInstanceOf(NotFound.class);
  }

  @Test
  void onlyRevisionHistoryLimitVersionsAreKept() {
    String limited = WEB + "revisionHistoryLimit: 3\n";
    for (int n = 1; n <= 6; n++) {
      services.submit(app(limited.replace("serve v1", "serve v" + n)), null);
    }
    assertThat(revisions()).extracting(Revision::version).containsExactly(4L, 5L, 6L);
  }

  @Test
  void historySurvivesAFrameworkRestartAndGoesWithTheApp() {
    services.submit(v(1), "alice");
    settle(services);
    services.submit(v(2), "bob");
    settle(services);
    List<Revision<AppSpec>> before = revisions();
    assertThat(allocator.store).containsKeys("app.web", "history.web");

    ServicesFramework restarted = newFramework();
    restarted.subscribed(allocator.frameworkId(), allocator, true);
    assertThat(restarted.history("web").revisions()).isEqualTo(before);
    allocator.reconciliation().forEach(restarted::update);
    clock.advance(Duration.ofSeconds(4));
    restarted.tick(clock.instant());
    assertThat(restarted.rollback("web", null, "carol")).contains("v1's task");
    assertThat(restarted.history("web").revisions())
        .extracting(Revision::outcome)
        .containsExactly(Outcome.SUCCEEDED, Outcome.ROLLED_BACK, Outcome.DEPLOYING);

    restarted.remove("web");
    settle(restarted);
    assertThat(allocator.store).doesNotContainKeys("app.web", "history.web");
  }

  @Test
  void anAppStoredWithoutHistoryStartsOneAtItsVersion() {
    services.submit(v(1), null);
    services.submit(v(2), null);
    allocator.store.remove("history.web");
    ServicesFramework restarted = newFramework();
    restarted.subscribed(allocator.frameworkId(), allocator, true);
    assertThat(restarted.history("web").revisions())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.version()).isEqualTo(2);
              assertThat(r.cause()).contains("not recorded");
              assertThat(r.spec()).isEqualTo(v(2));
            });
  }

  @Test
  void aDryRunOfAnAppStillStoppingPlansItsNextVersion() {
    services.submit(v(1), null);
    settle(services);
    services.remove("web"); // its instances are still being killed
    RolloutPlan back = services.dryRun(v(1));
    assertThat(back.change()).isEqualTo(RolloutPlan.Change.CREATE);
    assertThat(back.toVersion()).isEqualTo(2);
    assertThat(services.submit(v(1), null)).isEqualTo("created");
    assertThat(services.appView("web").version()).isEqualTo(2);
    assertThat(revisions()).extracting(Revision::cause).containsExactly("created", "created");
  }

  @Test
  void aDryRunSaysWhatWouldChangeAndChangesNothing() {
    RolloutPlan create = services.dryRun(v(1));
    assertThat(create.change()).isEqualTo(RolloutPlan.Change.CREATE);
    assertThat(create.create()).isEqualTo(2);
    assertThat(allocator.store).isEmpty();

    services.submit(v(1), null);
    settle(services);
    Map<String, com.fasterxml.jackson.databind.JsonNode> stored = Map.copyOf(allocator.store);
    RolloutPlan update =
        services.dryRun(
            app(WEB.replace("serve v1", "serve v2").replace("instances: 2", "instances: 3")));
    assertThat(update.change()).isEqualTo(RolloutPlan.Change.ROLLING_UPDATE);
    assertThat(update.fromVersion()).isEqualTo(1);
    assertThat(update.toVersion()).isEqualTo(2);
    assertThat(update.replace()).isEqualTo(2);
    assertThat(update.create()).isEqualTo(1);
    assertThat(update.fields())
        .containsExactly(
            FieldChange.changed("instances", 2, 3),
            FieldChange.changed("command", "serve v1", "serve v2"));
    assertThat(services.dryRun(v(1)).change()).isEqualTo(RolloutPlan.Change.NONE);
    assertThat(services.dryRun(v(1).withInstances(1)).change()).isEqualTo(RolloutPlan.Change.SCALE);
    // defaults count as written: a spec spelling out a default is no change
    assertThat(services.dryRun(app(WEB + "placement: SPREAD\n")).change())
        .isEqualTo(RolloutPlan.Change.NONE);
    assertThat(allocator.store).isEqualTo(stored);
    assertThat(services.appView("web").version()).isEqualTo(1);
  }
}
