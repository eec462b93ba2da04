package io.strata.workloads.services;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.api.Os;
import io.strata.api.TaskId;
import io.strata.api.TaskState;
import io.strata.testkit.MutableClock;
import io.strata.workloads.core.PendingReason;
import io.strata.workloads.framework.SimulatedAllocator;
import io.strata.workloads.framework.SimulatedAllocator.Launched;
import io.strata.workloads.framework.TaskIds;
import io.strata.workloads.framework.TaskView;
import io.strata.workloads.framework.WhyView;
import io.strata.workloads.spec.AppSpec;
import io.strata.workloads.spec.Specs;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ServicesFrameworkTest {
  MutableClock clock = new MutableClock(Instant.parse("2026-01-31T12:00:00Z"));
  SimulatedAllocator allocator;
  ServicesFramework services;

  static AppSpec app(String yaml) {
    return (AppSpec) Specs.decode("app.yaml", "kind: service\n" + yaml);
  }

  static final String WEB =
      """
      id: web
      instances: 3
      command: busybox httpd -f -p $PORT0
      resources: {cpus: 0.5, mem: 256Mi, ports: 1}
      healthCheck: {type: HTTP, portIndex: 0, intervalMillis: 1000}
      constraints: [{attribute: hostname, operator: UNIQUE}]
      upgrade: {maxSurge: 0, maxUnavailable: 1}
      restart: {initialDelayMillis: 1000, maxDelayMillis: 8000}
      """;

  @BeforeEach
  void cluster() {
    allocator =
        new SimulatedAllocator(clock)
            .agent("a1", Os.LINUX, Map.of("zone", "z1"), "2", "1Gi")
            .agent("a2", Os.LINUX, Map.of("zone", "z2"), "2", "1Gi")
            .agent("a3", Os.LINUX, Map.of("zone", "z1"), "2", "1Gi");
    services = newFramework();
    services.subscribed(allocator.frameworkId(), allocator, false);
  }

  ServicesFramework newFramework() {
    return new ServicesFramework("services", clock, new TaskIds(new SplittableRandom(42)));
  }

  /** Offers, then every launched task starts and becomes healthy. */
  void settle() {
    for (int round = 0; round < 10; round++) {
      services.offers(allocator.offers());
      for (Launched l : allocator.activeWith(TaskState.STAGING)) {
        services.update(allocator.status(l.task().taskId(), TaskState.RUNNING, true, null));
      }
      for (TaskId killed : List.copyOf(allocator.kills)) {
        if (allocator.state(killed) != null && !allocator.state(killed).isTerminal()) {
          services.update(allocator.status(killed, TaskState.KILLED, null, null));
        }
      }
    }
  }

  @Test
  void runsInstancesOnePerHostWithPortsInTheirEnvironment() {
    assertThat(services.submit(app(WEB))).isEqualTo("created");
    settle();
    List<Launched> active = allocator.active();
    assertThat(active).hasSize(3);
    assertThat(active.stream().map(l -> l.agent()).distinct()).hasSize(3);
    Launched first = active.get(0);
    assertThat(first.task().env()).containsKey("PORT0");
    assertThat(first.task().healthCheck().portIndex()).isZero();
    assertThat(first.task().resources().ports().count()).isEqualTo(1);
    AppView view = services.appView("web");
    assertThat(view.status()).isEqualTo("RUNNING");
    assertThat(view.healthy()).isEqualTo(3);
    assertThat(allocator.store).containsKey("app.web");
    assertThat(allocator.suppressed).isTrue(); // nothing waits: no more offers wanted
  }

  @Test
  void aDeadInstanceIsRestartedAfterItsBackoff() {
    services.submit(app(WEB));
    settle();
    TaskId victim = allocator.active().get(0).task().taskId();
    services.update(allocator.status(victim, TaskState.FAILED, null, 137));
    assertThat(allocator.suppressed).isTrue(); // backoff: no offers wanted yet
    TaskView pending =
        services.tasks().stream()
            .filter(t -> t.state().equals("PENDING"))
            .findFirst()
            .orElseThrow();
    assertThat(pending.reasons())
        .extracting(PendingReason::code)
        .containsExactly(PendingReason.Code.BACKOFF);

    services.offers(allocator.offers());
    assertThat(allocator.active()).hasSize(2);

    clock.advance(Duration.ofSeconds(1));
    services.tick(clock.instant());
    assertThat(allocator.suppressed).isFalse();
    settle();
    assertThat(allocator.active()).hasSize(3);
    assertThat(services.appView("web").recentTerminations())
        .extracting(InstanceEnd::taskId)
        .containsExactly(victim.value());
  }

  @Test
  void backoffGrowsWithConsecutiveFailures() {
    services.submit(app(WEB.replace("instances: 3", "instances: 1")));
    Instant start = clock.instant();
    for (int failure = 1; failure <= 3; failure++) {
      settle();
      TaskId t = allocator.active().get(0).task().taskId();
      services.update(allocator.status(t, TaskState.FAILED, null, 1));
      // 1 s, 2 s, 4 s
      clock.advance(Duration.ofMillis((1000L << (failure - 1)) - 1));
      services.tick(clock.instant());
      services.offers(allocator.offers());
      assertThat(allocator.active()).isEmpty();
      clock.advance(Duration.ofMillis(1));
      services.tick(clock.instant());
    }
    settle();
    assertThat(allocator.active()).hasSize(1);
    assertThat(Duration.between(start, clock.instant())).isEqualTo(Duration.ofSeconds(7));
  }

  @Test
  void rollingUpdateKeepsInstancesMinusMaxUnavailableHealthy() {
    services.submit(app(WEB));
    settle();
    assertThat(services.submit(app(WEB.replace("$PORT0", "$PORT"))))
        .isEqualTo("updated to version 2");
    int minHealthy = Integer.MAX_VALUE;
    for (int step = 0; step < 50 && !services.appView("web").status().equals("RUNNING"); step++) {
      services.offers(allocator.offers());
      for (Launched l : allocator.activeWith(TaskState.STAGING)) {
        services.update(allocator.status(l.task().taskId(), TaskState.RUNNING, null, null));
        minHealthy = Math.min(minHealthy, services.appView("web").healthy());
        services.update(allocator.status(l.task().taskId(), TaskState.RUNNING, true, null));
      }
      for (TaskId killed : List.copyOf(allocator.kills)) {
        if (!allocator.state(killed).isTerminal()) {
          services.update(allocator.status(killed, TaskState.KILLED, null, null));
          minHealthy = Math.min(minHealthy, services.appView("web").healthy());
        }
      }
    }
    AppView view = services.appView("web");
    assertThat(view.status()).isEqualTo("RUNNING");
    assertThat(view.version()).isEqualTo(2);
    assertThat(view.tasks()).allMatch(t -> t.detail().equals("v2"));
    assertThat(minHealthy).isEqualTo(2); // 3 instances - maxUnavailable 1, never fewer
    assertThat(allocator.active()).hasSize(3);
  }

  @Test
  void windowsAppsLandOnlyOnWindowsAgents() {
    allocator.agent("win1", Os.WINDOWS, Map.of(), "4", "4Gi");
    services.submit(
        app(
            """
            id: iis
            instances: 2
            command: ping -t localhost
            os: windows
            resources: {cpus: 0.5, mem: 256Mi}
            """));
    settle();
    assertThat(allocator.active()).hasSize(2).allMatch(l -> l.agent().value().equals("agent-win1"));
  }

  @Test
  void anImpossibleConstraintIsExplained() {
    services.submit(
        app(
            """
            id: mars
            command: sleep 1000
            resources: {mem: 64Mi}
            constraints: [{attribute: zone, operator: EQUALS, value: mars}]
            """));
    settle();
    WhyView why = services.why("mars").orElseThrow();
    assertThat(why.state()).isEqualTo("WAITING");
    assertThat(why.tasks()).hasSize(1);
    assertThat(why.tasks().get(0).reasons())
        .extracting(PendingReason::message)
        .containsExactly("constraint zone EQUALS mars: all 3 agents not matching");
    assertThat(allocator.suppressed).isFalse(); // keeps looking at offers
  }

  @Test
  void noWindowsAgentIsExplainedBeforeAnyOfferRound() {
    settle(); // the framework has seen the three Linux agents
    services.submit(app("id: win\ncommand: x\nos: windows\nresources: {mem: 64Mi}\n"));
    assertThat(services.why("win").orElseThrow().tasks().get(0).reasons())
        .extracting(PendingReason::message)
        .containsExactly("no agent with os=windows (3 agents known)");
  }

  @Test
  void scaleAndRemove() {
    services.submit(app(WEB));
    settle();
    assertThat(services.scale("web", 1)).isEqualTo("scaled from 3 to 1");
    settle();
    assertThat(allocator.active()).hasSize(1);
    services.remove("web");
    settle();
    assertThat(allocator.active()).isEmpty();
    assertThat(allocator.store).doesNotContainKey("app.web");
    assertThat(services.appViews()).isEmpty();
  }

  @Test
  void removingAnAppOfManyInstancesKillsThemInOneCall() {
    services.submit(
        app(
            """
            id: many
            instances: 40
            command: sleep 1000
            resources: {cpus: 0.1, mem: 16Mi}
            """));
    settle();
    assertThat(allocator.active()).hasSize(40);

    allocator.killCalls.clear();
    assertThat(services.scale("many", 10)).isEqualTo("scaled from 40 to 10");
    assertThat(allocator.killCalls).singleElement().asList().hasSize(30);
    settle();

    allocator.killCalls.clear();
    services.remove("many");
    assertThat(allocator.killCalls).singleElement().asList().hasSize(10);
    settle();
    assertThat(allocator.active()).isEmpty();
  }

  @Test
  void unansweredKillsAreRetriedTogether() {
    services.submit(
        app(
            """
            id: many
            instances: 12
            command: sleep 1000
            resources: {cpus: 0.1, mem: 16Mi}
            """));
    settle();
    services.remove("many");
    allocator.killCalls.clear();
    clock.advance(Duration.ofMinutes(2)); // no terminal update came: the kills may have been lost
    services.tick(clock.instant());
    assertThat(allocator.killCalls).singleElement().asList().hasSize(12);
  }

  @Test
  void aRestartedFrameworkAdoptsItsTasksInsteadOfLaunchingMore() {
    services.submit(app(WEB));
    settle();
    var before = new HashSet<>(allocator.active());

    ServicesFramework restarted = newFramework();
    restarted.subscribed(allocator.frameworkId(), allocator, true);
    assertThat(allocator.reconciles).contains(List.of());
    assertThat(restarted.recovering()).isTrue();
    restarted.offers(allocator.offers()); // nothing launches while recovering
    allocator.reconciliation().forEach(restarted::update);
    clock.advance(Duration.ofSeconds(3));
    restarted.tick(clock.instant());
    restarted.offers(allocator.offers());
    assertThat(new HashSet<>(allocator.active())).isEqualTo(before);
    AppView view = restarted.appView("web");
    assertThat(view.healthy()).isEqualTo(3);
    assertThat(view.status()).isEqualTo("RUNNING");
  }

  @Test
  void adoptedInstancesShowTheirHostAndPortsAsTheAllocatorRecordsThem() {
    services.submit(app(WEB));
    settle();

    // A new leader's framework: it never saw an offer, only the allocator's records.
    ServicesFramework restarted = newFramework();
    restarted.subscribed(allocator.frameworkId(), allocator, true);
    allocator.reconciliation().forEach(restarted::update);
    List<TaskView> adopted = restarted.tasks();
    assertThat(adopted).hasSize(3);
    for (TaskView t : adopted) {
      Launched l = allocator.launched(TaskId.of(t.id()));
      int port = l.task().resources().ports().ranges().get(0).begin();
      assertThat(t.hostname())
          .as(t.id())
          .isEqualTo(allocator.agentOf(l.task().taskId()).hostname());
      assertThat(t.agentId()).isEqualTo(l.agent());
      assertThat(t.ports()).containsExactly(port);
      assertThat(t.state()).isEqualTo("RUNNING");
    }
  }

  @Test
  void tasksOfUnknownAppsAreKilled() {
    services.submit(app(WEB));
    settle();
    TaskId stray = allocator.active().get(0).task().taskId();
    services.remove("web");
    ServicesFramework restarted = newFramework();
    allocator.store.clear();
    restarted.subscribed(allocator.frameworkId(), allocator, true);
    allocator.kills.clear();
    restarted.update(allocator.status(stray, TaskState.RUNNING, true, null));
    assertThat(allocator.kills).containsExactly(stray);
  }
}
