package io.strata.allocator.state;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.strata.api.AgentId;
import io.strata.api.AgentInfo;
import io.strata.api.FrameworkId;
import io.strata.api.FrameworkInfo;
import io.strata.api.Os;
import io.strata.api.Reason;
import io.strata.api.ResourcePool;
import io.strata.api.Resources;
import io.strata.api.TaskId;
import io.strata.api.TaskInfo;
import io.strata.api.TaskState;
import io.strata.api.TaskStatus;
import io.strata.api.operator.AgentState;
import io.strata.api.operator.Quota;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Test data: valid state events over a small universe of ids, so that they interact. */
final class StateEvents {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private StateEvents() {}

  static AgentInfo agentInfo(String host) {
    return new AgentInfo(
        host,
        Os.LINUX,
        "amd64",
        new ResourcePool(Resources.parse("cpus:8;mem:8192;ports:[31000-32000]"), Map.of()),
        Map.of("zone", "a"),
        Set.of("docker"),
        null,
        "1.0");
  }

  static AgentRecord agent(String id) {
    return new AgentRecord(
        AgentId.of(id),
        agentInfo("host-" + id),
        AgentState.ACTIVE,
        Map.of(),
        T0,
        null,
        false,
        "sha256-of-" + id);
  }

  static FrameworkRecord framework(String id) {
    return new FrameworkRecord(
        FrameworkId.of(id),
        new FrameworkInfo(FrameworkId.of(id), "fw " + id, null, Set.of("web"), null, 60_000L, null),
        "admin",
        T0,
        null);
  }

  static TaskStatus status(String fw, String task, String agent, TaskState state, UUID uuid) {
    return new TaskStatus(
        TaskId.of(task),
        FrameworkId.of(fw),
        AgentId.of(agent),
        state,
        state.isTerminal() ? Reason.COMMAND_EXITED : null,
        null,
        TaskStatus.Source.AGENT,
        uuid,
        T0.plusSeconds(5),
        null,
        null);
  }

  static TaskRecord task(String fw, String task, String agent) {
    Resources r = Resources.of(500, 64L << 20);
    return new TaskRecord(
        FrameworkId.of(fw),
        AgentId.of(agent),
        "web",
        TaskInfo.command(TaskId.of(task), "sleep 100", r),
        ResourcePool.unreserved(r),
        status(fw, task, agent, TaskState.STAGING, null),
        List.of());
  }

  static Arbitrary<StateEvent> events() {
    Arbitrary<String> agents = Arbitraries.of("a1", "a2", "a3");
    Arbitrary<String> fws = Arbitraries.of("f1", "f2");
    Arbitrary<String> tasks = Arbitraries.of("t1", "t2", "t3", "t4");
    Arbitrary<UUID> uuids =
        Arbitraries.of(
            UUID.fromString("00000000-0000-0000-0000-000000000001"),
            UUID.fromString("00000000-0000-0000-0000-000000000002"),
            UUID.fromString("00000000-0000-0000-0000-000000000003"));
    Arbitrary<TaskState> states = Arbitraries.of(TaskState.class);
    return Arbitraries.oneOf(
        agents.map(a -> new StateEvent.AgentUpserted(agent(a))),
        Combinators.combine(
                agents, Arbitraries.of(AgentState.class), Arbitraries.longs().between(0, 999))
            .as(
                (a, s, d) ->
                    new StateEvent.AgentStateChanged(
                        AgentId.of(a), s, d % 2 == 0 ? null : T0.plusMillis(d), d % 3 == 0)),
        Combinators.combine(agents, Arbitraries.longs().between(0, 4000))
            .as(
                (a, m) ->
                    new StateEvent.ReservationsChanged(
                        AgentId.of(a), Map.of("web", Resources.of(m, 0)))),
        Combinators.combine(agents, Arbitraries.longs().between(0, 999))
            .as(
                (a, d) ->
                    new StateEvent.AgentRemoved(
                        AgentId.of(a), d % 5 == 0 ? null : T0.plusMillis(d))),
        Combinators.combine(agents.list().ofMaxSize(2), fws.list().ofMaxSize(2))
            .as(
                (as, fs) ->
                    new StateEvent.IdsForgotten(
                        as.stream().map(AgentId::of).toList(),
                        fs.stream().map(FrameworkId::of).toList())),
        fws.map(f -> new StateEvent.FrameworkUpserted(framework(f))),
        Combinators.combine(fws, Arbitraries.longs().between(0, 999))
            .as(
                (f, d) ->
                    new StateEvent.FrameworkUpserted(
                        framework(f).withDisconnectedAt(T0.plusMillis(d)))),
        fws.map(
            f -> new StateEvent.FrameworkUpserted(framework(f).withSuppressedRoles(Set.of("web")))),
        Combinators.combine(fws, Arbitraries.longs().between(0, 999))
            .as(
                (f, d) ->
                    new StateEvent.FrameworkRemoved(
                        FrameworkId.of(f), d % 5 == 0 ? null : T0.plusMillis(d))),
        Combinators.combine(fws, tasks, agents)
            .as((f, t, a) -> new StateEvent.TaskAdded(task(f, t, a))),
        Combinators.combine(fws, tasks, agents, states, uuids)
            .as((f, t, a, s, u) -> new StateEvent.TaskStatusChanged(status(f, t, a, s, u))),
        Combinators.combine(fws, tasks, uuids)
            .as((f, t, u) -> new StateEvent.TaskAcknowledged(FrameworkId.of(f), TaskId.of(t), u)),
        Combinators.combine(fws, tasks)
            .as((f, t) -> new StateEvent.TaskRemoved(FrameworkId.of(f), TaskId.of(t))),
        Combinators.combine(
                Arbitraries.of("web", "eng/web", "batch"), Arbitraries.integers().between(1, 9))
            .as(
                (r, w) ->
                    new StateEvent.RoleConfigured(
                        new RoleRecord(
                            r,
                            w / 2.0,
                            new Quota(
                                Resources.of(w * 100L, 0), Resources.of(w * 1000L, 1L << 30))))),
        Combinators.combine(fws, Arbitraries.of("spec/a", "spec/b"), Arbitraries.integers())
            .as(
                (f, k, v) ->
                    new StateEvent.StorePut(
                        FrameworkId.of(f),
                        k,
                        JsonNodeFactory.instance.objectNode().put("v", v).put("s", "x" + v))),
        Combinators.combine(fws, Arbitraries.of("spec/a", "spec/b"))
            .as((f, k) -> new StateEvent.StoreDeleted(FrameworkId.of(f), k)),
        Combinators.combine(
                Arbitraries.of("bootstrap", "tok1", "tok2"),
                Arbitraries.integers().between(0, 999),
                Arbitraries.of(true, false))
            .as(
                (id, n, revoked) ->
                    new StateEvent.JoinTokenPut(
                        new JoinTokenRecord(
                            id,
                            "%064x".formatted(n),
                            n % 3 == 0 ? null : "pool " + n,
                            T0.plusSeconds(n),
                            n % 7 == 0 ? null : T0.plusSeconds(3600 + n),
                            revoked))),
        Arbitraries.of("bootstrap", "tok1", "tok2").map(StateEvent.JoinTokenRemoved::new));
  }
}
