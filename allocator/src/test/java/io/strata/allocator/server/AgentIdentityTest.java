package io.strata.allocator.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.strata.allocator.server.auth.JoinTokens;
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
import io.strata.api.client.AgentClient;
import io.strata.api.client.ApiException;
import io.strata.api.client.OperatorClient;
import io.strata.api.operator.AgentView;
import io.strata.api.operator.TaskView;
import io.strata.api.scheduler.Operation;
import io.strata.api.scheduler.SchedulerEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One node cannot act as another: the join token admits only a new agent (id assigned by the
 * allocator), every call for an agent's id takes that agent's own credential, an agent reports only
 * its own tasks, and an operator revokes one agent's credential durably.
 */
class AgentIdentityTest {
  @TempDir Path dir;
  TestAllocator allocator;
  FakeAgent a;
  FakeAgent b;
  FakeFramework fw;

  @BeforeEach
  void start() {
    allocator = new TestAllocator(dir, "agentHeartbeatIntervalMillis: 1000\n").start();
    a = allocator.agent("node-a", "cpus:4;mem:4096").register().connect();
    b = allocator.agent("node-b", "cpus:4;mem:4096").register().connect();
    fw = allocator.framework("web-fw", TestAllocator.WEB, "web").subscribe();
  }

  @AfterEach
  void stop() {
    fw.close();
    a.close();
    b.close();
    allocator.close();
  }

  private void launch(FakeAgent on, String id) {
    Offer offer = fw.awaitOffer(on.hostname);
    fw.client.accept(
        List.of(offer.id()),
        List.of(
            new Operation.Launch(
                List.of(
                    TaskInfo.command(
                        TaskId.of(id), "sleep 100", Resources.parse("cpus:1;mem:64"))))),
        0L);
    on.await(AgentMessage.RunTask.class, r -> r.task().taskId().value().equals(id));
    on.send(fw.id(), TaskId.of(id), TaskState.RUNNING);
    fw.acknowledge(fw.awaitUpdate(TaskId.of(id), TaskState.RUNNING));
    fw.events.removeIf(e -> e instanceof SchedulerEvent.Update);
  }

  private TaskView task(String id) {
    return allocator.operator().tasks().stream()
        .filter(t -> t.task().taskId().value().equals(id))
        .findFirst()
        .orElseThrow();
  }

  private static void refused(ThrowingCallable call, int status, String detail) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(status);
              assertThat(e.problem().detail()).contains(detail);
            });
  }

  /** Every call for agent {@code id} through {@code client}, each of which must be refused. */
  private void everyRouteRefused(
      AgentClient client, AgentId id, int status, String detail, int registerStatus) {
    TaskStatus update = a.status(fw.id(), TaskId.of("t1"), TaskState.FAILED, UUID.randomUUID());
    refused(
        () -> client.register(new io.strata.api.agent.RegisterAgent(id, a.info(), List.of())),
        registerStatus,
        registerStatus == status ? detail : "");
    refused(() -> client.heartbeat(id), status, detail);
    refused(() -> client.openStream(id, m -> {}).close(), status, detail);
    refused(() -> client.sendStatus(id, update), status, detail);
    refused(() -> client.sendStatuses(id, List.of(update)), status, detail);
  }

  @Test
  void theJoinTokenRegistersOnlyNewAgentsWithIdsTheAllocatorAssigns() {
    assertThat(a.id.value()).startsWith("A-");
    assertThat(b.id).isNotEqualTo(a.id);
    assertThat(a.credential).startsWith("sa2.").isNotEqualTo(b.credential);
    launch(a, "t1");

    // With the join token, an attacker names A's id: refused, naming the field; nothing happens.
    AgentClient attacker = new AgentClient(allocator.uri(), TestAllocator.JOIN);
    assertThatThrownBy(
            () ->
                attacker.register(new io.strata.api.agent.RegisterAgent(a.id, a.info(), List.of())))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(403);
              assertThat(e.problem().violations())
                  .singleElement()
                  .satisfies(v -> assertThat(v.field()).isEqualTo("agentId"));
            });
    // Nor does the join token act for A on any of its routes.
    everyRouteRefused(attacker, a.id, 401, "join token registers new agents only", 403);
    // A ids it picks itself: the same refusal (an id never seen is no exception).
    assertThatThrownBy(
            () ->
                attacker.register(
                    new io.strata.api.agent.RegisterAgent(
                        AgentId.of("rack1:node+7@eu"), a.info(), List.of())))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(403));

    // A is untouched: its task runs, it heartbeats, nothing was sent to it but the RunTask.
    a.heartbeat();
    assertThat(task("t1").state()).isEqualTo(TaskState.RUNNING);
    assertThat(fw.find(SchedulerEvent.Update.class, u -> true)).isEmpty();
    assertThat(allocator.operator().agents()).hasSize(2);
  }

  @Test
  void anotherAgentsCredentialIsRefusedOnEveryRouteOfA() {
    launch(a, "t1");
    AgentClient asB = new AgentClient(allocator.uri(), "not-a-join-token-0123456789");
    asB.useAgentToken(b.credential);
    everyRouteRefused(asB, a.id, 401, "present agent " + a.id + "'s own credential", 401);
    // B's stream is still B's, and A's messages stay A's.
    b.heartbeat();
    a.heartbeat();
    assertThat(task("t1").state()).isEqualTo(TaskState.RUNNING);
    assertThat(fw.find(SchedulerEvent.Update.class, u -> true)).isEmpty();
  }

  @Test
  void anAgentReportsOnlyTheTasksTheAllocatorGaveIt() {
    launch(a, "t1");
    launch(b, "own");
    // B forges A's task as FAILED on its own route: refused, naming the field; nothing applied,
    // not even B's own update before it in the batch (all or nothing).
    TaskStatus forged = b.status(fw.id(), TaskId.of("t1"), TaskState.FAILED, UUID.randomUUID());
    assertThatThrownBy(() -> b.client.sendStatus(b.id, forged))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(403);
              assertThat(e.problem().violations())
                  .extracting(v -> v.field())
                  .containsExactly("taskId");
            });
    TaskStatus finished =
        b.status(fw.id(), TaskId.of("own"), TaskState.FINISHED, UUID.randomUUID());
    assertThatThrownBy(() -> b.client.sendStatuses(b.id, List.of(finished, forged)))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(403);
              assertThat(e.problem().violations())
                  .extracting(v -> v.field())
                  .containsExactly("updates[1].taskId");
            });
    assertThat(task("t1").state()).isEqualTo(TaskState.RUNNING);
    assertThat(task("own").state()).isEqualTo(TaskState.RUNNING);

    // Re-registering with A's task in its list does not touch it either: B is told to kill its own
    // copy (a task the allocator did not give it), A's task stays RUNNING on A.
    b.reregister(List.of(new ReportedTask(fw.id(), TaskId.of("t1"), TaskState.RUNNING)));
    AgentMessage.KillTask kill =
        b.await(AgentMessage.KillTask.class, k -> k.taskId().value().equals("t1"));
    assertThat(kill.reason()).isEqualTo(Reason.TASK_UNKNOWN);
    assertThat(a.find(AgentMessage.KillTask.class, k -> true)).isEmpty();
    assertThat(task("t1").state()).isEqualTo(TaskState.RUNNING);
    assertThat(task("t1").agentId()).isEqualTo(a.id);
    // "own" was not in B's list: LOST, as any task an agent comes back without.
    fw.awaitUpdate(TaskId.of("own"), TaskState.LOST);
    assertThat(fw.find(SchedulerEvent.Update.class, u -> u.status().taskId().value().equals("t1")))
        .isEmpty();

    // A's own update for t1 is taken.
    a.send(fw.id(), TaskId.of("t1"), TaskState.FINISHED);
    fw.awaitUpdate(TaskId.of("t1"), TaskState.FINISHED);
  }

  @Test
  void anOperatorRevokesOneAgentsCredentialDurably() {
    launch(a, "t1");
    OperatorClient operator = allocator.operator();
    // Only operators revoke; an agent's credential is no principal's.
    assertThatThrownBy(() -> new OperatorClient(allocator.uri(), b.credential).revokeAgent(a.id))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(401));
    assertThatThrownBy(() -> operator.revokeAgent(AgentId.of("A-nobody")))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(404));

    operator.revokeAgent(a.id);
    // Removed at once: its tasks GONE, frameworks told, its stream told to shut down.
    TaskStatus gone = fw.awaitUpdate(TaskId.of("t1"), TaskState.GONE);
    assertThat(gone.message()).contains("revoked");
    fw.await(SchedulerEvent.Failure.class, f -> a.id.equals(f.agentId()));
    a.await(AgentMessage.Shutdown.class, s -> s.reason().contains("revoked"));
    assertThat(operator.agents()).extracting(AgentView::id).containsExactly(b.id);

    Consumer<String> allRefused =
        detail -> {
          AgentClient asA = new AgentClient(allocator.uri(), TestAllocator.JOIN);
          asA.useAgentToken(a.credential);
          everyRouteRefused(asA, a.id, 401, detail, 401);
        };
    allRefused.accept("was revoked by an operator");
    // Revoking again changes nothing; B is unaffected.
    operator.revokeAgent(a.id);
    b.heartbeat();

    // Durable: after a restart the revocation still holds, and B re-registers as itself.
    allocator.restart();
    allRefused.accept("was revoked by an operator");
    b.reregister(List.of()).connect().heartbeat();

    // The node joins anew with the join token: a new id and credential.
    FakeAgent again = allocator.agent("node-a", "cpus:4;mem:4096").register();
    assertThat(again.id).isNotEqualTo(a.id);
    again.heartbeat();
    again.close();
  }

  @Test
  void removingAnAgentVoidsItsCredential() {
    operatorDrainsAndRemoves(b);
    AgentClient asB = new AgentClient(allocator.uri(), TestAllocator.JOIN);
    asB.useAgentToken(b.credential);
    refused(() -> asB.heartbeat(b.id), 410, "was removed");
    allocator.restart();
    refused(() -> asB.heartbeat(b.id), 410, "was removed");
    refused(
        () -> asB.register(new io.strata.api.agent.RegisterAgent(b.id, b.info(), List.of())),
        410,
        "was removed");
  }

  private void operatorDrainsAndRemoves(FakeAgent agent) {
    allocator.operator().drain(agent.id, new io.strata.api.operator.DrainRequest(null, true));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> allocator.operator().agents().stream().noneMatch(v -> v.id().equals(agent.id)));
  }

  @Test
  void anAgentRecordedBeforeCredentialsWereStateKeepsItsIdDerivedCredential() throws Exception {
    // As an older allocator left it: the agent's record holds no credential hash, and the agent
    // holds the HMAC of its id under the data dir's token key.
    AgentId old = AgentId.of("old-node");
    allocator.close();
    try (var journal =
        new io.strata.allocator.state.EmbeddedJournal(
            allocator.dataDir.resolve(AllocatorServer.JOURNAL_DIR), 1000)) {
      journal.recover();
      journal
          .append(
              List.of(
                  new io.strata.allocator.state.StateEvent.AgentUpserted(
                      new io.strata.allocator.state.AgentRecord(
                          old,
                          a.info(),
                          io.strata.api.operator.AgentState.ACTIVE,
                          java.util.Map.of(),
                          java.time.Instant.parse("2026-01-01T00:00:00Z"),
                          null,
                          false,
                          null))))
          .join();
    }
    allocator.start();
    byte[] key =
        java.util.Base64.getDecoder()
            .decode(
                java.nio.file.Files.readString(allocator.dataDir.resolve(JoinTokens.KEY_FILE))
                    .strip());
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA256"));
    String legacy =
        "sa1."
            + java.util.Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(
                    mac.doFinal(("agent\0" + old.value()).getBytes(StandardCharsets.UTF_8)));

    AgentClient oldAgent = new AgentClient(allocator.uri(), TestAllocator.JOIN);
    oldAgent.useAgentToken(legacy);
    assertThat(
            oldAgent
                .register(new io.strata.api.agent.RegisterAgent(old, a.info(), List.of()))
                .agentToken())
        .isEqualTo(legacy);
    oldAgent.heartbeat(old);
    // Good for its own id only, and the join token still does not act for it.
    AgentClient other = new AgentClient(allocator.uri(), TestAllocator.JOIN);
    other.useAgentToken(legacy);
    refused(() -> other.heartbeat(a.id), 401, "own credential");
    refused(
        () -> new AgentClient(allocator.uri(), TestAllocator.JOIN).heartbeat(old),
        401,
        "join token registers new agents only");
    // Revoked like any other.
    allocator.operator().revokeAgent(old);
    refused(() -> oldAgent.heartbeat(old), 401, "was revoked");
  }
}
