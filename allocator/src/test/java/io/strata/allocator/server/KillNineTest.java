package io.strata.allocator.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.strata.api.AgentId;
import io.strata.api.FrameworkId;
import io.strata.api.Offer;
import io.strata.api.Resources;
import io.strata.api.TaskId;
import io.strata.api.TaskInfo;
import io.strata.api.TaskState;
import io.strata.api.TaskStatus;
import io.strata.api.agent.AgentMessage;
import io.strata.api.agent.ReportedTask;
import io.strata.api.client.ApiException;
import io.strata.api.client.OperatorClient;
import io.strata.api.operator.AgentView;
import io.strata.api.operator.FrameworkView;
import io.strata.api.operator.TaskView;
import io.strata.api.scheduler.Acknowledgement;
import io.strata.api.scheduler.Operation;
import io.strata.api.scheduler.SchedulerEvent;
import io.strata.testkit.Loopback;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The allocator runs in its own JVM and is killed with SIGKILL in the middle of traffic. After a
 * restart on the same data directory, nothing it had acknowledged is missing (agents, the
 * framework, launched tasks, status updates, store values), and agents and the framework re-attach.
 */
class KillNineTest {
  @TempDir Path dir;
  final ChildAllocator children = new ChildAllocator();

  /** What the allocator acknowledged (HTTP 2xx), recorded only after the answer arrived. */
  static final class Ledger {
    final Set<AgentId> agents = ConcurrentHashMap.newKeySet();
    volatile FrameworkId framework;
    final Set<TaskId> launched = ConcurrentHashMap.newKeySet();

    /** The last update per task the allocator acknowledged to the agent. */
    final Map<TaskId, TaskStatus> durableUpdates = new ConcurrentHashMap<>();

    /** Updates the framework tried to acknowledge (maybe durable, maybe not). */
    final Set<UUID> ackAttempted = ConcurrentHashMap.newKeySet();

    /** Terminal updates whose acknowledgement the allocator answered: their tasks may be gone. */
    final Set<TaskId> terminalAcknowledged = ConcurrentHashMap.newKeySet();

    final Map<String, Integer> store = new ConcurrentHashMap<>();

    /** Batches of updates (and of acknowledgements) the allocator answered. */
    final AtomicInteger batchesAcknowledged = new AtomicInteger();
  }

  @AfterEach
  void killAll() {
    children.close();
  }

  @Test
  void noAcknowledgedStateIsLostWhenTheAllocatorIsKilled() throws Exception {
    int port = Loopback.freePort();
    URI uri = URI.create("http://" + Loopback.HOST + ":" + port);
    Path config = dir.resolve("allocator.yaml");
    Files.writeString(
        config,
        """
        dataDir: %s
        host: %s
        port: %d
        joinToken: %s
        principals:
          - {name: admin, token: %s, roles: ["*"], operator: true}
          - {name: web, token: %s, roles: [web]}
        allocationIntervalMillis: 5
        frameworkHeartbeatIntervalMillis: 200
        agentUnreachableAfterMillis: 3600000
        snapshotEvery: 25
        """
            .formatted(
                dir.resolve("data"),
                Loopback.HOST,
                port,
                TestAllocator.JOIN,
                TestAllocator.ADMIN,
                TestAllocator.WEB));
    Process first = children.start(dir.resolve("run1.log"), "--config", config.toString());

    Ledger ledger = new Ledger();
    List<FakeAgent> agents = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      FakeAgent a = new FakeAgent(uri, TestAllocator.JOIN, "node-" + i, "cpus:8;mem:8192");
      a.register().connect();
      ledger.agents.add(a.id);
      agents.add(a);
    }
    FakeFramework fw = new FakeFramework(uri, TestAllocator.WEB, "web-fw", Set.of("web"));
    fw.subscribe();
    ledger.framework = fw.id();

    Traffic traffic = new Traffic(ledger, agents, fw);
    Thread driver = Thread.ofPlatform().name("traffic").start(traffic);
    Awaitility.await("traffic under way")
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                ledger.launched.size() >= 30
                    && ledger.durableUpdates.size() >= 20
                    && ledger.batchesAcknowledged.get() >= 5);
    first.destroyForcibly().waitFor();
    traffic.stop = true;
    driver.join(30_000);
    agents.forEach(FakeAgent::close);
    fw.close();

    Path log2 = dir.resolve("run2.log");
    children.start(log2, "--config", config.toString());
    System.out.printf(
        "killed after %d launches, %d durable updates, %d store keys; restart: %s%n",
        ledger.launched.size(),
        ledger.durableUpdates.size(),
        ledger.store.size(),
        Files.readAllLines(log2).stream().filter(l -> l.contains("recovered")).toList());
    OperatorClient operator = new OperatorClient(uri, TestAllocator.ADMIN);

    assertThat(operator.agents()).extracting(AgentView::id).containsAll(ledger.agents);
    assertThat(operator.frameworks()).extracting(FrameworkView::id).contains(ledger.framework);
    Map<TaskId, TaskView> tasks =
        operator.tasks().stream().collect(Collectors.toMap(t -> t.task().taskId(), t -> t));
    for (TaskId t : ledger.launched) {
      assertThat(tasks.containsKey(t) || ledger.terminalAcknowledged.contains(t))
          .as("launched task %s is known", t)
          .isTrue();
    }
    for (TaskStatus acked : ledger.durableUpdates.values()) {
      TaskView view = tasks.get(acked.taskId());
      if (view == null) {
        assertThat(ledger.terminalAcknowledged).contains(acked.taskId());
      } else if (acked.state() == TaskState.FINISHED) {
        assertThat(view.state()).as("task %s", acked.taskId()).isEqualTo(TaskState.FINISHED);
      } else {
        assertThat(view.state()).isIn(TaskState.RUNNING, TaskState.FINISHED);
      }
    }

    // Re-attach: the framework re-subscribes with its id, the agents re-register with theirs.
    FakeFramework again = new FakeFramework(uri, TestAllocator.WEB, "web-fw", Set.of("web"));
    again.info = fw.info;
    again.subscribe();
    assertThat(again.id()).isEqualTo(ledger.framework);
    ledger.store.forEach(
        (key, value) ->
            assertThat(again.client.get(key).orElseThrow().get("n").asInt())
                .as("store %s", key)
                .isGreaterThanOrEqualTo(value));
    for (TaskStatus acked : ledger.durableUpdates.values()) {
      if (!ledger.ackAttempted.contains(acked.uuid())) {
        again.await(SchedulerEvent.Update.class, u -> acked.uuid().equals(u.status().uuid()));
      }
    }
    for (FakeAgent a : agents) {
      FakeAgent back = new FakeAgent(uri, TestAllocator.JOIN, a.hostname, "cpus:8;mem:8192");
      back.restartOf(a);
      back.reregister(traffic.running(a));
      back.connect().heartbeat();
      back.close();
    }
    assertThat(operator.agents())
        .extracting(AgentView::state)
        .containsOnly(io.strata.api.operator.AgentState.ACTIVE);
    again.close();
  }

  /**
   * Launches, runs and finishes tasks, acknowledges updates and writes the store, until stopped.
   * Every other round sends its updates and acknowledgements in batches (one request per agent, one
   * ACKNOWLEDGE_UPDATES), the others one by one.
   */
  static final class Traffic implements Runnable {
    final Ledger ledger;
    final List<FakeAgent> agents;
    final FakeFramework fw;
    volatile boolean stop;
    final AtomicInteger next = new AtomicInteger();
    final Set<Object> seen = new HashSet<>();
    final Map<FakeAgent, Set<TaskId>> runningOn = new ConcurrentHashMap<>();
    int rounds;

    Traffic(Ledger ledger, List<FakeAgent> agents, FakeFramework fw) {
      this.ledger = ledger;
      this.agents = agents;
      this.fw = fw;
    }

    private void acknowledged(TaskStatus status) {
      if (status.state().isTerminal()) {
        ledger.terminalAcknowledged.add(status.taskId());
      }
    }

    List<ReportedTask> running(FakeAgent agent) {
      return runningOn.getOrDefault(agent, Set.of()).stream()
          .map(t -> new ReportedTask(ledger.framework, t, TaskState.RUNNING))
          .toList();
    }

    @Override
    public void run() {
      try {
        while (!stop) {
          round();
        }
      } catch (ApiException e) {
        // The allocator was killed under us: what was in flight was never acknowledged.
      }
    }

    private void round() {
      boolean batched = rounds++ % 2 == 0;
      List<TaskStatus> toAcknowledge = new ArrayList<>();
      for (SchedulerEvent e : List.copyOf(fw.events)) {
        if (!seen.add(e)) {
          continue;
        }
        switch (e) {
          case SchedulerEvent.Offers o -> {
            for (Offer offer : o.offers()) {
              TaskId id = TaskId.of("t-" + next.incrementAndGet());
              fw.client.accept(
                  List.of(offer.id()),
                  List.of(
                      new Operation.Launch(
                          List.of(
                              TaskInfo.command(
                                  id, "sleep 1", Resources.parse("cpus:0.1;mem:16"))))),
                  0L);
              ledger.launched.add(id);
            }
          }
          case SchedulerEvent.Update u when u.status().uuid() != null -> {
            ledger.ackAttempted.add(u.status().uuid());
            if (batched) {
              toAcknowledge.add(u.status());
            } else {
              fw.acknowledge(u.status());
              acknowledged(u.status());
            }
          }
          default -> {}
        }
      }
      if (!toAcknowledge.isEmpty()) {
        fw.client.acknowledge(toAcknowledge.stream().map(Acknowledgement::of).toList());
        ledger.batchesAcknowledged.incrementAndGet();
        toAcknowledge.forEach(this::acknowledged);
      }
      for (FakeAgent a : agents) {
        List<TaskStatus> outbox = new ArrayList<>();
        for (AgentMessage m : List.copyOf(a.received)) {
          if (!seen.add(m) || !(m instanceof AgentMessage.RunTask run)) {
            continue;
          }
          TaskId id = run.task().taskId();
          List<TaskStatus> updates = new ArrayList<>();
          updates.add(a.status(ledger.framework, id, TaskState.RUNNING, UUID.randomUUID()));
          runningOn.computeIfAbsent(a, x -> ConcurrentHashMap.newKeySet()).add(id);
          if (next.get() % 2 == 0) {
            updates.add(a.status(ledger.framework, id, TaskState.FINISHED, UUID.randomUUID()));
            runningOn.get(a).remove(id);
          }
          if (batched) {
            outbox.addAll(updates);
          } else {
            for (TaskStatus u : updates) {
              a.client.sendStatus(a.id, u);
              ledger.durableUpdates.put(id, u);
            }
          }
        }
        if (!outbox.isEmpty()) {
          a.client.sendStatuses(a.id, outbox);
          ledger.batchesAcknowledged.incrementAndGet();
          outbox.forEach(u -> ledger.durableUpdates.put(u.taskId(), u));
        }
      }
      int n = next.get();
      String key = "k-" + (n % 5);
      fw.client.put(key, JsonNodeFactory.instance.objectNode().put("n", n));
      ledger.store.merge(key, n, Math::max);
    }
  }
}
