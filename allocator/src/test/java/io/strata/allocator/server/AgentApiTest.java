package io.strata.allocator.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.strata.api.AgentId;
import io.strata.api.Offer;
import io.strata.api.Reason;
import io.strata.api.Resources;
import io.strata.api.TaskId;
import io.strata.api.TaskInfo;
import io.strata.api.TaskState;
import io.strata.api.TaskStatus;
import io.strata.api.agent.AgentMessage;
import io.strata.api.agent.ReportedTask;
import io.strata.api.client.ApiException;
import io.strata.api.operator.AgentState;
import io.strata.api.operator.AgentView;
import io.strata.api.operator.DrainRequest;
import io.strata.api.scheduler.Operation;
import io.strata.api.scheduler.SchedulerEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent API over HTTP: re-registration, duplicates, queued messages, reachability, drain. */
class AgentApiTest {
  @TempDir Path dir;
  TestAllocator allocator;
  FakeAgent agent;
  FakeFramework fw;

  @BeforeEach
  void start() {
    allocator =
        new TestAllocator(
                dir,
                "agentHeartbeatIntervalMillis: 1000\n"
                    + "agentUnreachableAfterMillis: 5000\n"
                    + "agentGoneAfterMillis: 60000\n")
            .start();
    agent = allocator.agent("node-1", "cpus:4;mem:4096").register().connect();
    fw = allocator.framework("web-fw", TestAllocator.WEB, "web").subscribe();
  }

  @AfterEach
  void stop() {
    fw.close();
    agent.close();
    allocator.close();
  }

  private void launch(String... ids) {
    Offer offer = fw.awaitOffer("node-1");
    fw.events.clear();
    List<TaskInfo> tasks =
        java.util.Arrays.stream(ids)
            .map(
                id ->
                    TaskInfo.command(TaskId.of(id), "sleep 100", Resources.parse("cpus:1;mem:64")))
            .toList();
    fw.client.accept(List.of(offer.id()), List.of(new Operation.Launch(tasks)), 0L);
    for (String id : ids) {
      agent.await(AgentMessage.RunTask.class, r -> r.task().taskId().value().equals(id));
      agent.send(fw.id(), TaskId.of(id), TaskState.RUNNING);
      fw.acknowledge(fw.awaitUpdate(TaskId.of(id), TaskState.RUNNING));
    }
  }

  private AgentView view() {
    return allocator.operator().agent(agent.id);
  }

  @Test
  void reregistrationKillsUnknownTasksAndReportsMissingOnesLost() {
    launch("t1", "t2");
    agent.reregister(
        List.of(
            new ReportedTask(fw.id(), TaskId.of("t1"), TaskState.RUNNING),
            new ReportedTask(fw.id(), TaskId.of("stray"), TaskState.RUNNING)));
    AgentMessage.KillTask kill =
        agent.await(AgentMessage.KillTask.class, k -> k.taskId().value().equals("stray"));
    assertThat(kill.reason()).isEqualTo(Reason.TASK_UNKNOWN);
    TaskStatus lost = fw.awaitUpdate(TaskId.of("t2"), TaskState.LOST);
    assertThat(lost.reason()).isEqualTo(Reason.AGENT_RESTARTED);
    assertThat(lost.source()).isEqualTo(TaskStatus.Source.ALLOCATOR);
    assertThat(lost.uuid()).as("allocator updates are delivered reliably").isNotNull();
    assertThat(view().activeTasks()).isEqualTo(1);
    assertThat(agent.find(AgentMessage.KillTask.class, k -> k.taskId().value().equals("t1")))
        .isEmpty();
  }

  @Test
  void anAgentBackWithLessThanItsTasksUseIsOverCommittedAndStaysSoAcrossARestart() {
    launch("t1", "t2"); // 2 of its 4 cpus
    List<ReportedTask> running =
        List.of(
            new ReportedTask(fw.id(), TaskId.of("t1"), TaskState.RUNNING),
            new ReportedTask(fw.id(), TaskId.of("t2"), TaskState.RUNNING));
    FakeAgent smaller = allocator.agent("node-1", "cpus:1;mem:4096");
    smaller.restartOf(agent);
    agent.close();
    fw.events.clear();
    smaller.reregister(running).connect();

    // The new total is taken as the agent says (as Mesos), and the over-commitment shown.
    AgentView v = view();
    assertThat(v.total().unreserved()).isEqualTo(Resources.parse("cpus:1;mem:4096"));
    // Its tasks' 2 cpus (and the offer of what is left, once made).
    assertThat(v.allocated().unreserved().millicpus()).isEqualTo(2000);
    assertThat(v.overcommitted()).isEqualTo(Resources.parse("cpus:1"));
    // What it has beyond the tasks is still offered, but no CPU.
    assertThat(fw.awaitOffer("node-1").resources().unreserved())
        .isEqualTo(Resources.parse("cpus:0;mem:3968"));

    // A restart rebuilds the same over-committed agent from the journal (it used to refuse it).
    allocator.restart();
    assertThat(view().overcommitted()).isEqualTo(Resources.parse("cpus:1"));
    assertThat(view().allocated().unreserved()).isEqualTo(Resources.parse("cpus:2;mem:128"));
    assertThat(view().total().unreserved()).isEqualTo(Resources.parse("cpus:1;mem:4096"));
    smaller.reregister(running).connect();
    assertThat(view().overcommitted()).isEqualTo(Resources.parse("cpus:1"));

    // Once a task ends the rest fit again: exact accounting, nothing over-committed.
    smaller.send(fw.id(), TaskId.of("t1"), TaskState.FINISHED);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              AgentView after = view();
              assertThat(after.overcommitted().isEmpty()).isTrue();
              assertThat(after.activeTasks()).isEqualTo(1);
              assertThat(after.allocated().unreserved().millicpus()).isEqualTo(1000);
            });
    smaller.close();
  }

  @Test
  void aDuplicateUpdateIsAcknowledgedButForwardedOnce() {
    launch("t1");
    TaskStatus finished =
        agent.status(fw.id(), TaskId.of("t1"), TaskState.FINISHED, UUID.randomUUID());
    assertThat(agent.client.sendStatus(agent.id, finished).uuid()).isEqualTo(finished.uuid());
    assertThat(agent.client.sendStatus(agent.id, finished).uuid()).isEqualTo(finished.uuid());
    fw.awaitUpdate(TaskId.of("t1"), TaskState.FINISHED);
    assertThat(finishedUpdates()).hasSize(1);
    fw.acknowledge(fw.awaitUpdate(TaskId.of("t1"), TaskState.FINISHED));
    agent.await(AgentMessage.Acknowledge.class, a -> a.uuid().equals(finished.uuid()));
    // After the framework acknowledged it and the task is forgotten, a late duplicate is
    // acknowledged to the agent again rather than delivered.
    await().atMost(Duration.ofSeconds(10)).until(() -> allocator.operator().tasks().isEmpty());
    agent.received.clear();
    agent.client.sendStatus(agent.id, finished);
    agent.await(AgentMessage.Acknowledge.class, a -> a.uuid().equals(finished.uuid()));
    assertThat(finishedUpdates()).hasSize(1);
  }

  private List<SchedulerEvent.Update> finishedUpdates() {
    return fw.all(SchedulerEvent.Update.class).stream()
        .filter(u -> u.status().state() == TaskState.FINISHED)
        .toList();
  }

  @Test
  void messagesForADisconnectedAgentWaitForItsStream() {
    launch("t1");
    agent.disconnect();
    agent.received.clear();
    fw.client.kill(TaskId.of("t1"), null);
    agent.connect();
    assertThat(agent.await(AgentMessage.KillTask.class, k -> true).taskId().value())
        .isEqualTo("t1");
  }

  @Test
  void anAgentThatMissesHeartbeatsIsUnreachableThenReregisters() {
    launch("t1");
    allocator.clock.advance(Duration.ofSeconds(6));
    TaskStatus unreachable = fw.awaitUpdate(TaskId.of("t1"), TaskState.UNREACHABLE);
    assertThat(unreachable.reason()).isEqualTo(Reason.AGENT_UNREACHABLE);
    fw.acknowledge(unreachable);
    assertThat(view().state()).isEqualTo(AgentState.UNREACHABLE);
    assertThatThrownBy(agent::heartbeat)
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(404));

    fw.events.clear();
    agent.reregister(List.of(new ReportedTask(fw.id(), TaskId.of("t1"), TaskState.RUNNING)));
    agent.connect();
    TaskStatus back = fw.awaitUpdate(TaskId.of("t1"), TaskState.RUNNING);
    assertThat(back.source()).isEqualTo(TaskStatus.Source.ALLOCATOR);
    assertThat(view().state()).isEqualTo(AgentState.ACTIVE);
    agent.heartbeat();
  }

  @Test
  void anUnreachableAgentBecomesGoneAndItsIdIsRefused() {
    launch("t1");
    allocator.clock.advance(Duration.ofSeconds(6));
    fw.awaitUpdate(TaskId.of("t1"), TaskState.UNREACHABLE);
    allocator.clock.advance(Duration.ofSeconds(61));
    TaskStatus gone = fw.awaitUpdate(TaskId.of("t1"), TaskState.GONE);
    assertThat(gone.reason()).isEqualTo(Reason.AGENT_GONE);
    fw.await(SchedulerEvent.Failure.class, f -> f.agentId().equals(agent.id));
    assertThat(allocator.operator().agents()).isEmpty();
    assertThatThrownBy(() -> agent.reregister(List.of()))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(410));
    assertThatThrownBy(agent::heartbeat)
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(410));
  }

  @Test
  void drainingNotifiesKillsAtTheDeadlineAndRemovesTheAgentIfAsked() {
    launch("t1");
    AgentView draining = allocator.operator().drain(agent.id, new DrainRequest(10_000L, true));
    assertThat(draining.state()).isEqualTo(AgentState.DRAINING);
    agent.await(AgentMessage.Drain.class, d -> d.deadline() != null);
    fw.await(SchedulerEvent.Drain.class, d -> d.agentId().equals(agent.id));
    agent.heartbeat(); // still a live agent
    allocator.clock.advance(Duration.ofSeconds(11));
    agent.heartbeat();
    AgentMessage.KillTask kill = agent.await(AgentMessage.KillTask.class, k -> true);
    assertThat(kill.reason()).isEqualTo(Reason.AGENT_DRAINING);
    agent.send(fw.id(), TaskId.of("t1"), TaskState.KILLED);
    fw.awaitUpdate(TaskId.of("t1"), TaskState.KILLED);
    agent.await(AgentMessage.Shutdown.class, s -> true);
    await().atMost(Duration.ofSeconds(10)).until(() -> allocator.operator().agents().isEmpty());
  }

  @Test
  void aDrainedAgentIsOfferedAgainOnceReactivated() {
    Offer first = fw.awaitOffer("node-1");
    AgentView drained = allocator.operator().drain(agent.id, new DrainRequest(null, null));
    assertThat(drained.state()).isEqualTo(AgentState.DRAINED);
    fw.await(SchedulerEvent.Rescind.class, r -> r.offerId().equals(first.id()));
    fw.events.clear();
    assertThat(allocator.operator().reactivate(agent.id).state()).isEqualTo(AgentState.ACTIVE);
    fw.awaitOffer("node-1");
  }

  @Test
  void statusUpdatesNeedAUuidAndTheirOwnAgent() {
    launch("t1");
    TaskStatus noUuid = agent.status(fw.id(), TaskId.of("t1"), TaskState.FINISHED, null);
    assertThatThrownBy(() -> agent.client.sendStatus(agent.id, noUuid))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.problem().violations())
                  .extracting(v -> v.field())
                  .containsExactly("uuid");
            });
    assertThatThrownBy(
            () ->
                agent.client.sendStatus(
                    AgentId.of("someone-else"),
                    agent.status(fw.id(), TaskId.of("t1"), TaskState.FINISHED, UUID.randomUUID())))
        // The agent's own credential is good for its id only.
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(401));
  }
}
