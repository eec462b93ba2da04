package io.strata.allocator.server.master;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.allocator.authz.Acls;
import io.strata.allocator.authz.Authorizer;
import io.strata.allocator.server.config.AllocatorConfig.Principal;
import io.strata.allocator.state.AgentRecord;
import io.strata.api.AgentId;
import io.strata.api.AgentInfo;
import io.strata.api.ContainerInfo;
import io.strata.api.FrameworkId;
import io.strata.api.FrameworkInfo;
import io.strata.api.Offer;
import io.strata.api.OfferId;
import io.strata.api.Os;
import io.strata.api.ResourcePool;
import io.strata.api.Resources;
import io.strata.api.TaskId;
import io.strata.api.TaskInfo;
import io.strata.api.json.Violation;
import io.strata.api.operator.AgentState;
import io.strata.api.scheduler.Operation;
import io.strata.api.scheduler.SchedulerCall;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AcceptPlannerTest {
  static final FrameworkId FW = FrameworkId.of("f1");
  static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  final Map<OfferId, OutstandingOffer> offers = new HashMap<>();
  final Map<AgentId, AgentRecord> agents = new HashMap<>();
  final Principal principal = new Principal("web", "web-token-0123456789", Set.of("web"), false);
  final FrameworkInfo info =
      new FrameworkInfo(FW, "fw", "svc", Set.of("web", "web/api"), null, null, null);

  AgentRecord agent(String id, Os os, Set<String> capabilities, Map<String, Resources> dynamic) {
    AgentInfo i =
        new AgentInfo(
            id,
            os,
            "amd64",
            ResourcePool.unreserved(Resources.parse("cpus:8;mem:8192")),
            null,
            capabilities,
            null,
            null);
    AgentRecord r =
        new AgentRecord(AgentId.of(id), i, AgentState.ACTIVE, dynamic, NOW, null, false, null);
    agents.put(r.id(), r);
    return r;
  }

  OfferId offer(String id, String agent, String role, ResourcePool pool) {
    Offer o =
        new Offer(OfferId.of(id), FW, AgentId.of(agent), agent, Os.LINUX, Map.of(), role, pool);
    offers.put(o.id(), new OutstandingOffer(o, NOW));
    return o.id();
  }

  AcceptPlanner.Result plan(List<OfferId> ids, Operation... ops) {
    return AcceptPlanner.plan(
        new SchedulerCall.Accept(FW, ids, List.of(ops), 0.0),
        new AcceptPlanner.Context(
            info,
            principal,
            Authorizer.of(Acls.NONE, List.of(principal.grantee())),
            id -> Optional.ofNullable(offers.get(id)),
            o -> false,
            id -> Optional.ofNullable(agents.get(id)),
            t -> t.value().equals("existing")));
  }

  static TaskInfo task(String id, String resources) {
    return TaskInfo.command(TaskId.of(id), "true", Resources.parse(resources));
  }

  static List<Violation> refused(AcceptPlanner.Result r, int status) {
    assertThat(r).isInstanceOf(AcceptPlanner.Refused.class);
    AcceptPlanner.Refused refused = (AcceptPlanner.Refused) r;
    assertThat(refused.status()).isEqualTo(status);
    return refused.violations();
  }

  @Test
  void tasksUseTheirRolesReservationsFirstThenTheParentsThenUnreserved() {
    agent("a1", Os.LINUX, Set.of(), Map.of());
    OfferId o =
        offer(
            "o1",
            "a1",
            "web/api",
            new ResourcePool(
                Resources.parse("cpus:4;mem:4096"),
                Map.of(
                    "web/api", Resources.parse("cpus:1;mem:0"),
                    "web", Resources.parse("cpus:1;mem:256"))));
    AcceptPlanner.Planned p =
        (AcceptPlanner.Planned)
            plan(List.of(o), new Operation.Launch(List.of(task("t1", "cpus:3;mem:512"))));
    ResourcePool consumed = p.plan().launches().get(0).consumed();
    assertThat(consumed.reservedFor("web/api")).isEqualTo(Resources.parse("cpus:1;mem:0"));
    assertThat(consumed.reservedFor("web")).isEqualTo(Resources.parse("cpus:1;mem:256"));
    assertThat(consumed.unreserved()).isEqualTo(Resources.parse("cpus:1;mem:256"));
    assertThat(p.plan().leftover())
        .isEqualTo(ResourcePool.unreserved(Resources.parse("cpus:3;mem:3840")));
    assertThat(p.plan().launches().get(0).task().user())
        .as("the framework's user")
        .isEqualTo("svc");
  }

  @Test
  void offersMustShareAgentAndRoleAndBeOutstanding() {
    agent("a1", Os.LINUX, Set.of(), Map.of());
    agent("a2", Os.LINUX, Set.of(), Map.of());
    ResourcePool pool = ResourcePool.unreserved(Resources.parse("cpus:1;mem:128"));
    OfferId o1 = offer("o1", "a1", "web", pool);
    OfferId o2 = offer("o2", "a2", "web", pool);
    OfferId o3 = offer("o3", "a1", "web/api", pool);
    assertThat(refused(plan(List.of(o1, o2, o3, o1)), 400))
        .extracting(Violation::field)
        .containsExactlyInAnyOrder("offerIds[1]", "offerIds[2]", "offerIds[3]");
    assertThat(refused(plan(List.of(o1, OfferId.of("gone"))), 409))
        .extracting(Violation::field)
        .containsExactly("offerIds[1]");
  }

  @Test
  void severalOffersOnOneAgentAreAcceptedTogether() {
    agent("a1", Os.LINUX, Set.of(), Map.of());
    OfferId o1 =
        offer("o1", "a1", "web", ResourcePool.unreserved(Resources.parse("cpus:1;mem:128")));
    OfferId o2 =
        offer("o2", "a1", "web", ResourcePool.unreserved(Resources.parse("cpus:1;mem:128")));
    assertThat(plan(List.of(o1, o2), new Operation.Launch(List.of(task("t", "cpus:2;mem:256")))))
        .isInstanceOf(AcceptPlanner.Planned.class);
  }

  @Test
  void containersNeedTheAgentsContainerRuntime() {
    agent("win", Os.WINDOWS, Set.of("job-objects"), Map.of());
    OfferId o =
        offer("o1", "win", "web", ResourcePool.unreserved(Resources.parse("cpus:2;mem:512")));
    TaskInfo c =
        new TaskInfo(
            TaskId.of("c"),
            null,
            null,
            ContainerInfo.of("busybox"),
            Resources.parse("cpus:1;mem:64"),
            null,
            null,
            null,
            null,
            null,
            null,
            null);
    List<Violation> v = refused(plan(List.of(o), new Operation.Launch(List.of(c))), 400);
    assertThat(v).extracting(Violation::field).containsExactly("operations[0].tasks[0].container");
    assertThat(v.get(0).message()).contains("windows-containers");
  }

  @Test
  void taskIdsMustBeNewAndUnique() {
    agent("a1", Os.LINUX, Set.of(), Map.of());
    OfferId o =
        offer("o1", "a1", "web", ResourcePool.unreserved(Resources.parse("cpus:4;mem:512")));
    assertThat(
            refused(
                plan(
                    List.of(o),
                    new Operation.Launch(List.of(task("existing", "cpus:1;mem:1"))),
                    new Operation.Launch(
                        List.of(task("a", "cpus:1;mem:1"), task("a", "cpus:1;mem:1")))),
                400))
        .extracting(Violation::field)
        .containsExactly("operations[0].tasks[0].taskId", "operations[1].tasks[1].taskId");
  }

  @Test
  void onlyDynamicReservationsCanBeReleased() {
    // Statically reserved memory on the agent, offered as reserved for web.
    agent("a1", Os.LINUX, Set.of(), Map.of("web", Resources.parse("cpus:1;mem:0")));
    OfferId o =
        offer(
            "o1",
            "a1",
            "web",
            new ResourcePool(Resources.EMPTY, Map.of("web", Resources.parse("cpus:1;mem:512"))));
    List<Violation> v =
        refused(
            plan(List.of(o), new Operation.Unreserve("web", Resources.parse("cpus:0;mem:512"))),
            400);
    assertThat(v.get(0).message()).contains("only dynamic reservations");
    assertThat(plan(List.of(o), new Operation.Unreserve("web", Resources.parse("cpus:1;mem:0"))))
        .isInstanceOfSatisfying(
            AcceptPlanner.Planned.class, p -> assertThat(p.plan().dynamicReservations()).isEmpty());
  }

  @Test
  void rolesOutsideThePrincipalsAreForbiddenBeforeAnythingElse() {
    assertThat(
            refused(
                plan(
                    List.of(OfferId.of("nope")),
                    new Operation.Reserve("batch", Resources.parse("cpus:1;mem:0"))),
                403))
        .extracting(Violation::field)
        .containsExactly("operations[0].role");
  }
}
