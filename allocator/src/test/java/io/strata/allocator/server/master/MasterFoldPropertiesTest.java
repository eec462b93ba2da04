package io.strata.allocator.server.master;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.strata.allocator.authz.Authorizer;
import io.strata.allocator.core.HierarchicalAllocator;
import io.strata.allocator.server.config.AllocatorConfig;
import io.strata.allocator.server.config.AllocatorConfig.Principal;
import io.strata.allocator.state.DurableState;
import io.strata.allocator.state.FrameworkRecord;
import io.strata.allocator.state.StateEvent;
import io.strata.allocator.state.StateSnapshot;
import io.strata.allocator.state.StateStore;
import io.strata.allocator.state.TaskRecord;
import io.strata.api.AgentId;
import io.strata.api.AgentInfo;
import io.strata.api.FrameworkInfo;
import io.strata.api.Os;
import io.strata.api.ResourcePool;
import io.strata.api.Resources;
import io.strata.api.TaskId;
import io.strata.api.TaskInfo;
import io.strata.api.TaskState;
import io.strata.api.TaskStatus;
import io.strata.api.agent.RegisterAgent;
import io.strata.api.agent.ReportedTask;
import io.strata.api.agent.StatusUpdates;
import io.strata.api.operator.DrainRequest;
import io.strata.api.operator.Quota;
import io.strata.api.operator.RoleConfig;
import io.strata.api.scheduler.Operation;
import io.strata.api.scheduler.SchedulerCall;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The fold check: random sequences of commands against a live master; the fold of what it appended
 * to its store equals its live state, and a fresh master recovered from that fold holds the same
 * state and the same indexes (each agent's and framework's tasks).
 */
class MasterFoldPropertiesTest {
  private static final Principal ADMIN =
      new Principal("admin", "admin-token-0123456789", Set.of("*"), true);

  /** A store that keeps every appended batch and acknowledges at once. */
  static final class RecordingStore implements StateStore {
    final List<StateEvent> events = new ArrayList<>();
    private final StateSnapshot start;

    RecordingStore(StateSnapshot start) {
      this.start = start;
    }

    @Override
    public StateSnapshot recover() {
      return start;
    }

    @Override
    public synchronized CompletableFuture<Void> append(List<StateEvent> batch) {
      events.addAll(batch);
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public void close() {}

    synchronized StateSnapshot fold() {
      DurableState s = DurableState.of(start);
      events.forEach(s::apply);
      return s.snapshot();
    }
  }

  /** A clock the commands move forward. */
  static class StepClock extends Clock {
    Instant now = Instant.parse("2026-03-01T00:00:00Z");

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Provide
  Arbitrary<List<Integer>> commands() {
    return Arbitraries.integers().between(0, 99).list().ofMinSize(10).ofMaxSize(150);
  }

  @Property(tries = 60, seed = "20261208")
  void theStoresFoldAndARecoveredMasterEqualTheLiveMaster(
      @ForAll("commands") List<Integer> script) {
    StepClock clock = new StepClock();
    AllocatorConfig config =
        AllocatorConfig.parse(
            "dataDir: "
                + Path.of("unused")
                + "\njoinToken: join-token-0123456789\nremovedIdsMaxCount: 1\n"
                + "agentUnreachableAfterMillis: 20000\nagentGoneAfterMillis: 60000\n");
    RecordingStore store = new RecordingStore(new DurableState().snapshot());
    Master m = master(config, clock, store);
    Recovery.rebuild(m, store.recover());
    Script run = new Script(m, clock);
    for (int step = 0; step < script.size(); step++) {
      run.step(script.get(step), step);
    }

    StateSnapshot live = m.read(() -> m.durable().snapshot());
    assertThat(store.fold()).as("the fold of the store's events").isEqualTo(live);

    // A fresh master recovers from the store: the same state (frameworks come back disconnected
    // now) and the same indexes.
    RecordingStore copy = new RecordingStore(store.fold());
    Master recovered = master(config, clock, copy);
    Recovery.rebuild(recovered, copy.recover());
    StateSnapshot again = recovered.read(() -> recovered.durable().snapshot());
    assertThat(again).isEqualTo(disconnectedNow(live, clock.now));
    assertThat(indexes(recovered)).isEqualTo(m.read(() -> indexes(m)));
    assertThat(copy.fold()).isEqualTo(again);
  }

  static Master master(AllocatorConfig config, Clock clock, StateStore store) {
    return new Master(
        config,
        clock,
        store,
        new HierarchicalAllocator(
            io.strata.allocator.core.AllocationSettings.DEFAULTS.withMinInterval(Duration.ZERO),
            42),
        new ServerMetrics(),
        Authorizer.of(config.acls(), List.of(ADMIN.grantee())),
        "run");
  }

  private static StateSnapshot disconnectedNow(StateSnapshot s, Instant now) {
    List<FrameworkRecord> f = new ArrayList<>();
    for (FrameworkRecord r : s.frameworks()) {
      f.add(r.disconnectedAt() == null ? r.withDisconnectedAt(now) : r);
    }
    return new StateSnapshot(
        s.agents(),
        s.goneAgents(),
        f,
        s.removedFrameworks(),
        s.tasks(),
        s.roles(),
        s.store(),
        s.joinTokens());
  }

  /** Each agent's and framework's task index, and the refused ids. */
  private static List<Object> indexes(Master m) {
    Map<String, Set<String>> byAgent = new TreeMap<>();
    m.agents.forEach(
        (id, a) -> byAgent.put(id.value(), keys(a.tasks.stream().map(Object::toString).toList())));
    Map<String, Set<String>> byFramework = new TreeMap<>();
    m.frameworks.forEach(
        (id, f) -> byFramework.put(id.value(), keys(f.tasks.stream().map(TaskId::value).toList())));
    return List.of(
        byAgent,
        byFramework,
        // As sets: recovery orders ids removed at the same instant by id, not by removal order.
        new TreeSet<>(m.goneAgents.expired(Instant.MAX, Duration.ZERO, 0)),
        new TreeSet<>(m.removedFrameworks.expired(Instant.MAX, Duration.ZERO, 0)));
  }

  private static Set<String> keys(List<String> k) {
    return new TreeSet<>(k);
  }

  /** Turns numbers into commands on the master; refusals (ApiError) are part of the game. */
  static final class Script {
    final Master m;
    final StepClock clock;
    final List<AgentId> agents = new ArrayList<>();
    final List<Master.Subscription> frameworks = new ArrayList<>();
    final List<TaskRecord> launched = new ArrayList<>();

    Script(Master m, StepClock clock) {
      this.m = m;
      this.clock = clock;
    }

    void step(int n, int step) {
      try {
        command(n, step);
      } catch (ApiError expected) {
        // refused: leaves no trace, which the fold check covers
      }
    }

    private void command(int n, int step) {
      int pick = n % 19;
      switch (pick) {
        case 0, 1 -> agents.add(m.agents().join(register(null, step, List.of()), "sha").agentId());
        case 2 -> {
          AgentId a = any(agents, n);
          if (a != null) {
            List<ReportedTask> running = new ArrayList<>();
            for (TaskRecord t : launched) {
              if (t.agentId().equals(a) && n % 2 == 0) {
                running.add(new ReportedTask(t.frameworkId(), t.taskId(), TaskState.RUNNING));
              }
            }
            m.agents().reregister(register(a, step, running), () -> {});
          }
        }
        case 3, 4 ->
            frameworks.add(
                m.frameworks()
                    .subscribe(
                        ADMIN,
                        new SchedulerCall.Subscribe(
                            new FrameworkInfo(
                                null, "fw" + step, "u", Set.of("web"), Set.of(), 30_000L, Map.of()),
                            Set.of())));
        case 5, 6, 7 -> launch(n, step);
        case 8, 9 -> status(n, step);
        case 10, 17, 18 -> acknowledgeAll(n);
        case 11 -> {
          Master.Subscription s = any(frameworks, n);
          TaskRecord t = any(launched, n / 3);
          if (s != null && t != null && t.frameworkId().equals(s.frameworkId())) {
            m.frameworks()
                .call(
                    ADMIN, s.streamId(), new SchedulerCall.Kill(s.frameworkId(), t.taskId(), null));
          }
        }
        case 12 -> {
          AgentId a = any(agents, n);
          if (a != null) {
            if (n % 2 == 0) {
              m.maintenance().drain(a, new DrainRequest(n % 4 == 0 ? 0L : null, n % 3 == 0));
            } else {
              m.maintenance().reactivate(a);
            }
          }
        }
        case 13 -> {
          Master.Subscription s = any(frameworks, n);
          if (s != null) {
            switch (n % 3) {
              case 0 -> m.frameworks().streamClosed(s.frameworkId(), s.streamId());
              case 1 -> m.frameworks().teardown(s.frameworkId());
              default ->
                  m.store()
                      .put(
                          ADMIN,
                          s.frameworkId(),
                          "k" + n % 4,
                          JsonNodeFactory.instance.numberNode(n),
                          8);
            }
          }
        }
        case 14 -> {
          Master.Subscription s = any(frameworks, n);
          if (s != null) {
            m.store().delete(ADMIN, s.frameworkId(), "k" + n % 4);
          }
          m.roles().configure("web", new RoleConfig(1.0 + n % 3, n % 2 == 0 ? Quota.NONE : null));
        }
        case 15 -> {
          AgentId a = any(agents, n);
          if (a != null && n % 2 == 0) {
            m.agents().revoke(a);
          }
        }
        default -> tick(n);
      }
    }

    private void tick(int n) {
      clock.now = clock.now.plusSeconds(n % 2 == 0 ? 5 : 40);
      Instant now = clock.now;
      m.runAsync(
          now,
          c -> {
            m.agents().tick(c, now);
            m.frameworks().tick(c, now);
            m.offerOps().expire(c, now);
            m.retention().tick(c, now);
          });
      // Agents that are still live heartbeat now and then.
      for (AgentId a : agents) {
        if (n % 3 != 0) {
          try {
            m.agents().heartbeat(a);
          } catch (ApiError gone) {
            // unreachable, gone or revoked
          }
        }
      }
    }

    private void launch(int n, int step) {
      Master.Subscription s = any(frameworks, n);
      if (s == null) {
        return;
      }
      m.runAsync(clock.now, c -> m.offerOps().allocate(c, clock.now));
      List<io.strata.api.OfferId> offers =
          m.read(
              () ->
                  m.offers.ofFramework(s.frameworkId()).stream().map(o -> o.offer().id()).toList());
      if (offers.isEmpty()) {
        return;
      }
      io.strata.api.OfferId offer = offers.get(n % offers.size());
      TaskInfo task =
          TaskInfo.command(TaskId.of("t" + step), "true", Resources.parse("cpus:0.5;mem:64"));
      m.frameworks()
          .call(
              ADMIN,
              s.streamId(),
              new SchedulerCall.Accept(
                  s.frameworkId(),
                  List.of(offer),
                  List.of(new Operation.Launch(List.of(task))),
                  0.0));
      TaskRecord t =
          m.read(
              () ->
                  m.task(
                      new io.strata.allocator.state.DurableState.TaskKey(
                          s.frameworkId(), task.taskId())));
      if (t != null) {
        launched.add(t);
      }
    }

    private void status(int n, int step) {
      TaskRecord t = any(launched, n);
      if (t == null) {
        return;
      }
      TaskState[] states = {
        TaskState.RUNNING, TaskState.FINISHED, TaskState.FAILED, TaskState.RUNNING
      };
      List<TaskStatus> updates = new ArrayList<>();
      for (int i = 0; i < 1 + n % 3; i++) {
        updates.add(
            new TaskStatus(
                t.taskId(),
                t.frameworkId(),
                t.agentId(),
                states[(n + i) % states.length],
                null,
                "s" + step,
                TaskStatus.Source.AGENT,
                UUID.nameUUIDFromBytes(("u" + step + "-" + i).getBytes()),
                clock.now,
                null,
                null));
      }
      m.agents().statuses().statuses(t.agentId(), new StatusUpdates(updates));
    }

    private void acknowledgeAll(int n) {
      for (Master.Subscription s : frameworks) {
        List<SchedulerCall> acks = new ArrayList<>();
        m.read(
            () -> {
              for (TaskRecord t : m.durable().tasks()) {
                if (t.frameworkId().equals(s.frameworkId())) {
                  for (TaskStatus u : t.unacknowledged()) {
                    acks.add(
                        new SchedulerCall.Acknowledge(
                            s.frameworkId(), t.agentId(), t.taskId(), u.uuid()));
                  }
                }
              }
              return null;
            });
        for (SchedulerCall a : acks.subList(0, Math.min(acks.size(), 1 + n % 8))) {
          try {
            m.frameworks().call(ADMIN, s.streamId(), a);
          } catch (ApiError stale) {
            // the subscription was superseded, or the framework removed
          }
        }
      }
    }

    private RegisterAgent register(AgentId id, int step, List<ReportedTask> tasks) {
      return new RegisterAgent(
          id,
          new AgentInfo(
              "h" + step,
              Os.LINUX,
              "amd64",
              ResourcePool.unreserved(Resources.parse("cpus:2;mem:512")),
              Map.of(),
              Set.of(),
              null,
              "test"),
          tasks);
    }

    private static <T> T any(List<T> list, int n) {
      return list.isEmpty() ? null : list.get(n % list.size());
    }
  }
}
