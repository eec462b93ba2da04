package io.strata.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.api.agent.AgentMessage;
import io.strata.api.agent.RegisterAgent;
import io.strata.api.agent.ReportedTask;
import io.strata.api.agent.StatusAcks;
import io.strata.api.agent.StatusUpdates;
import io.strata.api.json.Codec;
import io.strata.api.json.ValidationException;
import io.strata.api.json.Violation;
import io.strata.api.operator.Quota;
import io.strata.api.operator.RoleConfig;
import io.strata.api.scheduler.Acknowledgement;
import io.strata.api.scheduler.Operation;
import io.strata.api.scheduler.SchedulerCall;
import io.strata.api.scheduler.SchedulerEvent;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Every protocol message survives JSON unchanged, and the wire names are the documented ones. */
class ProtocolJsonTest {
  static final AgentId AGENT = AgentId.of("a-1");
  static final FrameworkId FW = FrameworkId.of("f-1");
  static final TaskId TASK = TaskId.of("web.1");

  static TaskInfo task() {
    return new TaskInfo(
        TASK,
        "web",
        CommandInfo.argv("/bin/busybox", "httpd", "-f"),
        null,
        new Resources(500, 64 * Quantities.MIB, 0, 0, PortRanges.range(31000, 31000)),
        1000L,
        64L,
        Map.of("MODE", "prod"),
        "nobody",
        Map.of("app", "web"),
        HealthCheck.http(31000, "/", 1000),
        2000L);
  }

  static AgentInfo agentInfo() {
    return new AgentInfo(
        "node-1",
        Os.LINUX,
        "amd64",
        new ResourcePool(
            Resources.parse("cpus:4;mem:8192;disk:10000;ports:[31000-32000]"),
            Map.of("eng", Resources.parse("cpus:1;mem:1024"))),
        Map.of("zone", "eu-1"),
        Set.of(Capabilities.CGROUPS_V2, Capabilities.DOCKER),
        "http://127.0.0.1:5051",
        "0.1.0");
  }

  static TaskStatus status() {
    return new TaskStatus(
        TASK,
        FW,
        AGENT,
        TaskState.FAILED,
        Reason.MEMORY_LIMIT,
        "limit 64Mi, peak 64Mi",
        TaskStatus.Source.AGENT,
        UUID.randomUUID(),
        Instant.parse("2026-01-31T12:00:00Z"),
        null,
        137);
  }

  private static <T> void roundTrips(T value, Class<? super T> type) {
    String json = Codec.JSON.encode(value);
    assertThat(Codec.JSON.decode(json, type)).as(json).isEqualTo(value);
    String yaml = Codec.YAML.encode(value);
    assertThat(Codec.YAML.decode(yaml, type)).as(yaml).isEqualTo(value);
  }

  @Test
  void schedulerCalls() {
    FrameworkInfo info =
        new FrameworkInfo(
            null,
            "services",
            "nobody",
            Set.of("services"),
            Set.of(FrameworkInfo.Capability.GPU_RESOURCES),
            60_000L,
            Map.of());
    List<SchedulerCall> calls =
        List.of(
            new SchedulerCall.Subscribe(info),
            new SchedulerCall.Accept(
                FW,
                List.of(OfferId.of("o-1")),
                List.of(
                    new Operation.Launch(List.of(task())),
                    new Operation.Reserve("eng", Resources.of(1000, 0)),
                    new Operation.Unreserve("eng", Resources.of(1000, 0))),
                0.25),
            new SchedulerCall.Decline(FW, List.of(OfferId.of("o-2")), null),
            new SchedulerCall.Kill(FW, TASK, 500L),
            new SchedulerCall.Acknowledge(FW, AGENT, TASK, UUID.randomUUID()),
            new SchedulerCall.AcknowledgeUpdates(
                FW,
                List.of(
                    new Acknowledgement(AGENT, TASK, UUID.randomUUID()),
                    Acknowledgement.of(status()))),
            new SchedulerCall.Reconcile(FW, List.of(TASK)),
            new SchedulerCall.Revive(FW, Set.of("services")),
            new SchedulerCall.Suppress(FW, Set.of()),
            new SchedulerCall.Teardown(FW));
    calls.forEach(c -> roundTrips(c, SchedulerCall.class));
    assertThat(Codec.JSON.encode(calls.get(2)))
        .contains("\"type\":\"DECLINE\"")
        .contains("\"refuseSeconds\":5");
  }

  @Test
  void subscribeMayCarrySuppressedRolesOfTheFramework() {
    FrameworkInfo info =
        new FrameworkInfo(null, "svc", null, Set.of("a", "b"), null, null, Map.of());
    roundTrips(new SchedulerCall.Subscribe(info, Set.of("b")), SchedulerCall.class);
    // Absent (older clients) means none.
    String withoutField =
        "{\"type\":\"SUBSCRIBE\",\"framework\":{\"name\":\"svc\",\"roles\":[\"a\"]}}";
    assertThat(
            ((SchedulerCall.Subscribe) Codec.JSON.decode(withoutField, SchedulerCall.class))
                .suppressedRoles())
        .isEmpty();
    assertThatThrownBy(
            () ->
                Codec.JSON.decode(
                    "{\"type\":\"SUBSCRIBE\",\"framework\":{\"name\":\"svc\",\"roles\":[\"a\"]},"
                        + "\"suppressedRoles\":[\"a\",\"c\"]}",
                    SchedulerCall.class))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e ->
                assertThat(e.violations())
                    .extracting(Violation::field)
                    .containsExactly("suppressedRoles[c]"));
  }

  @Test
  void schedulerEvents() {
    Offer offer =
        new Offer(
            OfferId.of("o-1"),
            FW,
            AGENT,
            "node-1",
            Os.WINDOWS,
            Map.of("zone", "eu-1"),
            "services",
            ResourcePool.unreserved(Resources.parse("cpus:2;mem:1024")));
    List<SchedulerEvent> events =
        List.of(
            new SchedulerEvent.Subscribed(FW, "s-1", 15_000),
            new SchedulerEvent.Offers(List.of(offer)),
            new SchedulerEvent.Rescind(OfferId.of("o-1")),
            new SchedulerEvent.Update(status()),
            new SchedulerEvent.Failure(AGENT, "agent gone"),
            new SchedulerEvent.Drain(AGENT, "node-1", Instant.parse("2026-01-31T13:00:00Z")),
            new SchedulerEvent.Error("framework removed"),
            new SchedulerEvent.Heartbeat());
    events.forEach(e -> roundTrips(e, SchedulerEvent.class));
    assertThat(Codec.JSON.encode(offer)).contains("\"os\":\"windows\"");
  }

  @Test
  void agentProtocol() {
    roundTrips(
        new RegisterAgent(
            AGENT, agentInfo(), List.of(new ReportedTask(FW, TASK, TaskState.RUNNING))),
        RegisterAgent.class);
    List<AgentMessage> messages =
        List.of(
            new AgentMessage.RunTask(FW, null, task()),
            new AgentMessage.KillTask(FW, TASK, 1000L, Reason.KILLED_BY_FRAMEWORK),
            new AgentMessage.Acknowledge(FW, TASK, UUID.randomUUID()),
            new AgentMessage.Drain(null),
            new AgentMessage.Shutdown("removed"),
            new AgentMessage.Heartbeat());
    messages.forEach(m -> roundTrips(m, AgentMessage.class));
    roundTrips(status(), TaskStatus.class);
    roundTrips(new StatusUpdates(List.of(status(), status())), StatusUpdates.class);
    roundTrips(new StatusAcks(List.of(UUID.randomUUID())), StatusAcks.class);
  }

  @Test
  void refuseSecondsIsANumberOfSecondsWithFractions() {
    SchedulerCall.Decline half =
        (SchedulerCall.Decline)
            Codec.JSON.decode(
                "{\"type\":\"DECLINE\",\"frameworkId\":\"fw\",\"offerIds\":[\"o\"],"
                    + "\"refuseSeconds\":0.5}",
                SchedulerCall.class);
    assertThat(half.refuseSeconds()).isEqualTo(0.5);
    assertThat(new SchedulerCall.Decline(FW, List.of(OfferId.of("o")), null).refuseSeconds())
        .isEqualTo(5.0);
    for (String bad : List.of("-0.5", "31536000.5", "1e300")) {
      assertThatThrownBy(
              () ->
                  Codec.JSON.decode(
                      "{\"type\":\"DECLINE\",\"frameworkId\":\"fw\",\"offerIds\":[\"o\"],"
                          + "\"refuseSeconds\":"
                          + bad
                          + "}",
                      SchedulerCall.class))
          .as(bad)
          .isInstanceOfSatisfying(
              ValidationException.class,
              e ->
                  assertThat(e.violations())
                      .extracting(Violation::field)
                      .containsExactly("refuseSeconds"));
    }
    assertThatThrownBy(
            () -> new SchedulerCall.Accept(FW, List.of(OfferId.of("o")), List.of(), Double.NaN))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("refuseSeconds");
  }

  @Test
  void batchesNameTheirBadEntriesByIndex() {
    assertThatThrownBy(
            () ->
                Codec.JSON.decode(
                    "{\"updates\":[{\"state\":\"RUNNING\",\"source\":\"AGENT\","
                        + "\"timestamp\":\"2026-01-31T12:00:00Z\",\"taskId\":\"t\"},"
                        + "{\"state\":\"RUNNING\",\"source\":\"AGENT\","
                        + "\"timestamp\":\"2026-01-31T12:00:00Z\"}]}",
                    StatusUpdates.class))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e ->
                assertThat(e.violations())
                    .extracting(Violation::field)
                    .containsExactly("updates[1].taskId"));
    assertThatThrownBy(() -> new StatusUpdates(List.of()))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("updates");
    assertThatThrownBy(
            () ->
                Codec.JSON.decode(
                    "{\"type\":\"ACKNOWLEDGE_UPDATES\",\"frameworkId\":\"fw\","
                        + "\"updates\":[{\"taskId\":\"t\"}]}",
                    SchedulerCall.class))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e ->
                assertThat(e.violations())
                    .extracting(Violation::field)
                    .containsExactly("updates[0].uuid"));
  }

  @Test
  void operatorInputs() {
    roundTrips(
        new RoleConfig(
            2.0, new Quota(Resources.parse("cpus:1"), Resources.parse("cpus:4;mem:4096"))),
        RoleConfig.class);
    assertThatThrownBy(() -> new Quota(Resources.parse("cpus:8"), Resources.parse("cpus:4")))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("guarantee");
    // 0 in a limit means "no limit on that quantity": a CPU-only limit leaves memory free.
    assertThat(new Quota(Resources.parse("cpus:1;mem:4096"), Resources.parse("cpus:4")).limit())
        .isEqualTo(Resources.parse("cpus:4"));
    assertThatThrownBy(() -> Codec.JSON.decode("{\"weight\":0}", RoleConfig.class))
        .hasMessageContaining("weight");
  }

  @Test
  void taskInfoReportsEachBadFieldAtOnce() {
    String json =
        """
        {"taskId":"t","resources":{"millicpus":0,"memoryBytes":0},
         "cpuLimitMillicpus":-1,"env":{"1BAD":"x"},"user":"no body",
         "healthCheck":{"type":"HTTP","port":70000},"killGracePeriodMillis":-5}
        """;
    List<Violation> v;
    try {
      Codec.JSON.decode(json, TaskInfo.class);
      throw new AssertionError("expected violations");
    } catch (ValidationException e) {
      v = e.violations();
    }
    assertThat(v)
        .extracting(Violation::field)
        .contains(
            "healthCheck.port",
            "command",
            "resources",
            "env.1BAD",
            "user",
            "killGracePeriodMillis");
  }

  @Test
  void commandNeedsExactlyOneForm() {
    assertThatThrownBy(() -> new CommandInfo("echo", List.of("echo")))
        .hasMessageContaining("not both");
    assertThatThrownBy(() -> new CommandInfo(" ", null)).hasMessageContaining("either");
  }

  @Test
  void osAcceptsAnyCaseButWritesLowerCase() {
    assertThat(Codec.JSON.decode("\"Windows\"", Os.class)).isEqualTo(Os.WINDOWS);
    assertThat(Codec.JSON.encode(Os.LINUX)).isEqualTo("\"linux\"");
    assertThatThrownBy(() -> Codec.JSON.decode("\"beos\"", Os.class)).hasMessageContaining("linux");
  }

  @Test
  void terminalStates() {
    assertThat(TaskState.FINISHED.isTerminal()).isTrue();
    assertThat(TaskState.UNREACHABLE.isTerminal()).isFalse();
    assertThat(TaskState.RUNNING.isActive()).isTrue();
  }
}
