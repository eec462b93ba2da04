package io.strata.allocator.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.strata.api.Offer;
import io.strata.api.OfferId;
import io.strata.api.Reason;
import io.strata.api.ResourcePool;
import io.strata.api.Resources;
import io.strata.api.TaskId;
import io.strata.api.TaskInfo;
import io.strata.api.TaskState;
import io.strata.api.TaskStatus;
import io.strata.api.agent.AgentMessage;
import io.strata.api.client.ApiException;
import io.strata.api.json.Violation;
import io.strata.api.operator.TaskView;
import io.strata.api.scheduler.LaunchedTask;
import io.strata.api.scheduler.Operation;
import io.strata.api.scheduler.SchedulerEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scheduler API over HTTP: accept (and its refusals), decline, kill, reconcile, failover. */
class SchedulerApiTest {
  @TempDir Path dir;
  TestAllocator allocator;
  FakeAgent agent;
  FakeFramework fw;

  @BeforeEach
  void start() {
    // Clock jumps in these tests must not make the agent unreachable.
    allocator = new TestAllocator(dir, "agentUnreachableAfterMillis: 86400000\n").start();
    agent = allocator.agent("node-1", "cpus:4;mem:4096;ports:[31000-31010]").register().connect();
    fw = allocator.framework("web-fw", TestAllocator.WEB, "web").subscribe();
  }

  @AfterEach
  void stop() {
    fw.close();
    agent.close();
    allocator.close();
  }

  static TaskInfo task(String id, String resources) {
    return TaskInfo.command(TaskId.of(id), "sleep 100", Resources.parse(resources));
  }

  private TaskStatus launchRunning(String id, String resources) {
    Offer offer = fw.awaitOffer("node-1");
    fw.events.clear();
    fw.client.accept(
        List.of(offer.id()), List.of(new Operation.Launch(List.of(task(id, resources)))), 0L);
    agent.await(AgentMessage.RunTask.class, r -> r.task().taskId().value().equals(id));
    agent.send(fw.id(), TaskId.of(id), TaskState.RUNNING);
    TaskStatus running = fw.awaitUpdate(TaskId.of(id), TaskState.RUNNING);
    fw.acknowledge(running);
    return running;
  }

  private static List<Violation> violations(Runnable call, int status) {
    try {
      call.run();
    } catch (ApiException e) {
      assertThat(e.status()).as(e.getMessage()).isEqualTo(status);
      return e.problem().violations();
    }
    throw new AssertionError("expected HTTP " + status);
  }

  @Test
  void anAcceptWithAnyInvalidPartLaunchesNothingAndSaysWhy() {
    Offer offer = fw.awaitOffer("node-1");
    List<Violation> v =
        violations(
            () ->
                fw.client.accept(
                    List.of(offer.id()),
                    List.of(
                        new Operation.Launch(
                            List.of(
                                task("ok", "cpus:1;mem:512"),
                                task("too-big", "cpus:8;mem:512"),
                                task("ok", "cpus:1;mem:128")))),
                    0L),
            400);
    assertThat(v)
        .extracting(Violation::field)
        .containsExactlyInAnyOrder(
            "operations[0].tasks[1].resources", "operations[0].tasks[2].taskId");
    assertThat(v.get(0).message() + v.get(1).message()).contains("short of cpus");

    // Ports the offer does not hold, and an unknown offer.
    TaskInfo ports = task("p", "cpus:1;mem:64;ports:[40000-40001]");
    assertThat(
            violations(
                () ->
                    fw.client.accept(
                        List.of(offer.id()), List.of(new Operation.Launch(List.of(ports))), 0L),
                400))
        .singleElement()
        .satisfies(x -> assertThat(x.message()).contains("ports"));
    assertThat(
            violations(
                () ->
                    fw.client.accept(
                        List.of(offer.id(), OfferId.of("no-such-offer")),
                        List.of(new Operation.Launch(List.of(task("x", "cpus:1;mem:64")))),
                        0L),
                409))
        .extracting(Violation::field)
        .containsExactly("offerIds[1]");

    assertThat(agent.all(AgentMessage.RunTask.class)).isEmpty();
    assertThat(allocator.operator().tasks()).isEmpty();
    // Nothing happened: the offer is still good.
    fw.client.accept(
        List.of(offer.id()),
        List.of(new Operation.Launch(List.of(task("ok", "cpus:1;mem:512")))),
        0L);
    agent.await(AgentMessage.RunTask.class, r -> r.task().taskId().value().equals("ok"));
  }

  @Test
  void anAnsweredOfferCannotBeUsedAgain() {
    Offer offer = fw.awaitOffer("node-1");
    fw.client.decline(List.of(offer.id()), 0L);
    assertThat(
            violations(
                () ->
                    fw.client.accept(
                        List.of(offer.id()),
                        List.of(new Operation.Launch(List.of(task("t", "cpus:1;mem:64")))),
                        0L),
                409))
        .singleElement()
        .satisfies(x -> assertThat(x.message()).contains("not outstanding"));
  }

  @Test
  void aDeclineFilterExpiresWithTheClockAndReviveClearsIt() {
    Offer offer = fw.awaitOffer("node-1");
    fw.events.clear();
    fw.client.decline(List.of(offer.id()), 3600L);
    allocator.clock.advance(Duration.ofSeconds(3601));
    // The first cycle after the expiry still applies the filter (as Mesos, MESOS-4302); the next,
    // a moment later, drops it: let the stopped clock move on as a real one would.
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              allocator.clock.advance(Duration.ofMillis(50));
              return fw.find(
                      SchedulerEvent.Offers.class,
                      o -> o.offers().stream().anyMatch(x -> x.hostname().equals("node-1")))
                  .isPresent();
            });
    Offer again = fw.awaitOffer("node-1");
    assertThat(again.id()).isNotEqualTo(offer.id());
    assertThat(again.resources()).isEqualTo(offer.resources());

    fw.events.clear();
    fw.client.decline(List.of(again.id()), 3600L);
    fw.client.revive(Set.of());
    assertThat(fw.awaitOffer("node-1").resources()).isEqualTo(offer.resources());
  }

  @Test
  void aSubSecondFilterIsAcceptedAndHoldsThroughTheNextCycle() {
    Offer offer = fw.awaitOffer("node-1");
    fw.events.clear();
    fw.client.decline(List.of(offer.id()), 0.25);
    allocator.clock.advance(Duration.ofMillis(300));
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              allocator.clock.advance(Duration.ofMillis(50));
              return fw.find(
                      SchedulerEvent.Offers.class,
                      o -> o.offers().stream().anyMatch(x -> x.hostname().equals("node-1")))
                  .isPresent();
            });
    assertThat(fw.awaitOffer("node-1").resources()).isEqualTo(offer.resources());
  }

  @Test
  void suppressStopsOffersUntilRevive() {
    Offer offer = fw.awaitOffer("node-1");
    fw.client.suppress(Set.of("web"));
    fw.events.clear();
    fw.client.decline(List.of(offer.id()), 0L);
    assertThat(allocator.operator().frameworks().get(0).suppressedRoles()).containsExactly("web");
    fw.client.revive(Set.of("web"));
    fw.awaitOffer("node-1");
    assertThat(violations(() -> fw.client.suppress(Set.of("batch")), 400))
        .extracting(Violation::field)
        .containsExactly("roles[batch]");
  }

  @Test
  void killReachesTheAgentAndTheKilledUpdateTheFramework() {
    launchRunning("t1", "cpus:1;mem:256");
    fw.client.kill(TaskId.of("t1"), 1500L);
    AgentMessage.KillTask kill =
        agent.await(AgentMessage.KillTask.class, k -> k.taskId().value().equals("t1"));
    assertThat(kill.gracePeriodMillis()).isEqualTo(1500L);
    assertThat(kill.reason()).isEqualTo(Reason.KILLED_BY_FRAMEWORK);
    agent.send(fw.id(), TaskId.of("t1"), TaskState.KILLED);
    fw.acknowledge(fw.awaitUpdate(TaskId.of("t1"), TaskState.KILLED));

    fw.client.kill(TaskId.of("never-launched"), null);
    TaskStatus unknown = fw.awaitUpdate(TaskId.of("never-launched"), TaskState.LOST);
    assertThat(unknown.reason()).isEqualTo(Reason.TASK_UNKNOWN);
    assertThat(unknown.uuid()).isNull();
  }

  @Test
  void aFrameworkReadsWhereItsOwnTasksRunAndNoOneElseDoes() {
    launchRunning("t1", "cpus:1;mem:256;ports:[31003-31004]");
    LaunchedTask t1 = fw.client.tasks().get(0);
    assertThat(fw.client.tasks()).hasSize(1);
    assertThat(t1.taskId()).isEqualTo(TaskId.of("t1"));
    assertThat(t1.agentId()).isEqualTo(agent.id);
    assertThat(t1.hostname()).isEqualTo("node-1");
    assertThat(t1.resources()).isEqualTo(Resources.parse("cpus:1;mem:256;ports:[31003-31004]"));
    assertThat(t1.state()).isEqualTo(TaskState.RUNNING);

    try (FakeFramework other = allocator.framework("jobs", TestAllocator.BATCH, "batch")) {
      other.subscribe();
      assertThat(other.client.tasks()).isEmpty();
      var snoop = new io.strata.api.client.HttpTransport(allocator.uri(), TestAllocator.BATCH);
      assertThatThrownBy(
              () ->
                  snoop.send(
                      "GET",
                      io.strata.api.client.Paths.frameworkTasks(fw.id().value()),
                      null,
                      String.class))
          .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(403));
    }
  }

  @Test
  void reconcileAnswersExplicitlyAndImplicitly() {
    launchRunning("t1", "cpus:1;mem:256");
    fw.events.clear();
    fw.client.reconcile(List.of(TaskId.of("t1"), TaskId.of("ghost")));
    TaskStatus t1 = fw.awaitUpdate(TaskId.of("t1"), TaskState.RUNNING);
    assertThat(t1.reason()).isEqualTo(Reason.RECONCILIATION);
    assertThat(t1.uuid()).as("reconciliation needs no acknowledgement").isNull();
    assertThat(fw.awaitUpdate(TaskId.of("ghost"), TaskState.LOST).reason())
        .isEqualTo(Reason.TASK_UNKNOWN);

    fw.events.clear();
    fw.client.reconcile(List.of());
    assertThat(fw.awaitUpdate(TaskId.of("t1"), TaskState.RUNNING).reason())
        .isEqualTo(Reason.RECONCILIATION);
  }

  @Test
  void reservedResourcesAreConsumedFirstAndCanBeGivenBack() {
    Offer offer = fw.awaitOffer("node-1");
    fw.events.clear();
    Resources reserved = Resources.parse("cpus:2;mem:1024");
    fw.client.accept(
        List.of(offer.id()),
        List.of(
            new Operation.Reserve("web", reserved),
            new Operation.Launch(List.of(task("r1", "cpus:3;mem:512")))),
        0L);
    agent.await(AgentMessage.RunTask.class, r -> true);
    TaskView view = allocator.operator().tasks().get(0);
    // 2 cpus and all 512 MiB from the reservation, the third cpu unreserved.
    assertThat(allocator.operator().state().tasks()).hasSize(1);
    assertThat(view.role()).isEqualTo("web");
    assertThat(allocator.operator().agents().get(0).total().reserved())
        .containsExactly(Map.entry("web", reserved));

    // What is left (1 cpu, 3 GiB unreserved and 512 MiB reserved) comes back as an offer.
    Offer rest = fw.awaitOffer("node-1");
    assertThat(rest.resources())
        .isEqualTo(
            new ResourcePool(
                Resources.parse("cpus:1;mem:3072;ports:[31000-31010]"),
                Map.of("web", Resources.parse("cpus:0;mem:512"))));
    fw.events.clear();
    fw.client.accept(
        List.of(rest.id()),
        List.of(new Operation.Unreserve("web", Resources.parse("cpus:0;mem:512"))),
        0L);
    Offer after = fw.awaitOffer("node-1");
    assertThat(after.resources().reserved()).isEmpty();
    assertThat(allocator.operator().agents().get(0).total().reserved())
        .containsExactly(Map.entry("web", Resources.parse("cpus:2;mem:512")));
  }

  @Test
  void reservingOrSubscribingForAnotherRoleIsForbidden() {
    Offer offer = fw.awaitOffer("node-1");
    assertThat(
            violations(
                () ->
                    fw.client.accept(
                        List.of(offer.id()),
                        List.of(new Operation.Reserve("batch", Resources.parse("cpus:1;mem:0"))),
                        0L),
                403))
        .extracting(Violation::field)
        .containsExactly("operations[0].role");
    try (FakeFramework intruder =
        allocator.framework("intruder", TestAllocator.WEB, "web", "batch")) {
      assertThatThrownBy(intruder::subscribe)
          .isInstanceOfSatisfying(
              ApiException.class,
              e -> {
                assertThat(e.status()).isEqualTo(403);
                assertThat(e.problem().violations())
                    .extracting(Violation::field)
                    .containsExactly("framework.roles[batch]");
              });
    }
    // A child role of an allowed one is allowed.
    try (FakeFramework child = allocator.framework("child", TestAllocator.WEB, "web/api")) {
      child.subscribe();
    }
  }

  @Test
  void callsNeedTheCurrentStreamId() {
    String first = fw.find(SchedulerEvent.Subscribed.class, s -> true).orElseThrow().streamId();
    try (FakeFramework second =
        new FakeFramework(allocator.uri(), TestAllocator.WEB, "web-fw", Set.of("web"))) {
      second.info = fw.info;
      second.subscribe();
      assertThat(second.find(SchedulerEvent.Subscribed.class, s -> true).orElseThrow().streamId())
          .isNotEqualTo(first);
      // The old subscription is told, then closed.
      fw.await(SchedulerEvent.Error.class, e -> e.message().contains("took over"));
      await().atMost(Duration.ofSeconds(10)).until(() -> fw.closedByServer);
      assertThat(violations(() -> fw.client.revive(Set.of()), 409)).isEmpty();
      second.client.revive(Set.of());
    }
  }

  @Test
  void unacknowledgedUpdatesAreSentAgainOnResubscription() {
    Offer offer = fw.awaitOffer("node-1");
    fw.client.accept(
        List.of(offer.id()),
        List.of(new Operation.Launch(List.of(task("t1", "cpus:1;mem:64")))),
        0L);
    agent.await(AgentMessage.RunTask.class, r -> true);
    agent.send(fw.id(), TaskId.of("t1"), TaskState.RUNNING);
    TaskStatus first = fw.awaitUpdate(TaskId.of("t1"), TaskState.RUNNING);
    fw.close(); // never acknowledged
    fw.subscribe();
    TaskStatus again = fw.awaitUpdate(TaskId.of("t1"), TaskState.RUNNING);
    assertThat(again.uuid()).isEqualTo(first.uuid());
    fw.acknowledge(again);
    agent.await(AgentMessage.Acknowledge.class, a -> a.uuid().equals(first.uuid()));
    fw.close();
    fw.subscribe();
    fw.client.reconcile(List.of(TaskId.of("t1")));
    fw.await(SchedulerEvent.Update.class, u -> u.status().reason() == Reason.RECONCILIATION);
    assertThat(fw.all(SchedulerEvent.Update.class))
        .noneMatch(u -> first.uuid().equals(u.status().uuid()));
  }

  @Test
  void aFrameworkFailingOverInTimeKeepsItsTasksOtherwiseItIsRemoved() {
    launchRunning("t1", "cpus:1;mem:64");
    fw.close();
    allocator.clock.advance(Duration.ofSeconds(30)); // failover timeout is 60 s
    fw.subscribe();
    assertThat(allocator.operator().tasks()).hasSize(1);
    fw.close();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> !allocator.operator().frameworks().get(0).connected());
    allocator.clock.advance(Duration.ofSeconds(61));
    AgentMessage.KillTask kill =
        agent.await(AgentMessage.KillTask.class, k -> k.taskId().value().equals("t1"));
    assertThat(kill.reason()).isEqualTo(Reason.FRAMEWORK_REMOVED);
    assertThat(allocator.operator().frameworks()).isEmpty();
    assertThat(allocator.operator().tasks()).isEmpty();
    assertThatThrownBy(fw::subscribe)
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(410));
  }

  @Test
  void teardownKillsTasksAndEndsTheStream() {
    launchRunning("t1", "cpus:1;mem:64");
    fw.client.teardown();
    assertThat(agent.await(AgentMessage.KillTask.class, k -> true).reason())
        .isEqualTo(Reason.FRAMEWORK_REMOVED);
    await().atMost(Duration.ofSeconds(10)).until(() -> fw.closedByServer);
    // The agent's late terminal update is acknowledged and ignored.
    agent.send(fw.id(), TaskId.of("t1"), TaskState.KILLED);
    assertThat(allocator.operator().tasks()).isEmpty();
  }
}
