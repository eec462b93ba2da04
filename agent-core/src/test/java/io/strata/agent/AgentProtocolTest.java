package io.strata.agent;

import static io.strata.testkit.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.strata.agent.containerizer.ContainerId;
import io.strata.agent.containerizer.LaunchSpec;
import io.strata.agent.containerizer.Termination;
import io.strata.agent.fake.ScriptedContainerizer;
import io.strata.api.AgentId;
import io.strata.api.Backoff;
import io.strata.api.CommandInfo;
import io.strata.api.ContainerInfo;
import io.strata.api.FrameworkId;
import io.strata.api.FrameworkInfo;
import io.strata.api.HealthCheck;
import io.strata.api.Os;
import io.strata.api.Reason;
import io.strata.api.Resources;
import io.strata.api.TaskId;
import io.strata.api.TaskInfo;
import io.strata.api.TaskState;
import io.strata.api.TaskStatus;
import io.strata.api.agent.AgentMessage;
import io.strata.api.agent.RegisterAgent;
import io.strata.api.agent.ReportedTask;
import io.strata.fakes.allocator.FakeAllocator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent against a protocol-level fake allocator, with scripted containers. */
class AgentProtocolTest {
  static final FrameworkId FW = FrameworkId.of("fw-1");
  static final FrameworkInfo FRAMEWORK =
      new FrameworkInfo(FW, "tests", null, Set.of("eng"), null, null, null);
  static final Agent.Timings FAST =
      new Agent.Timings(
          new Backoff(Duration.ofMillis(50), Duration.ofMillis(400)),
          new Backoff(Duration.ofMillis(50), Duration.ofMillis(400)),
          Duration.ofMillis(200));
  static final MachineProbe MACHINE =
      new MachineProbe() {
        @Override
        public String hostname() {
          return "test-host";
        }

        @Override
        public Os os() {
          return Os.LINUX;
        }

        @Override
        public String arch() {
          return "amd64";
        }

        @Override
        public Resources discover(Path workDir) {
          return new Resources(4000, 8L << 30, 100L << 30, 0, null);
        }
      };

  /** Ten ports nothing on this host holds (the agent leaves out those another process holds). */
  static final int PORT_BASE = io.strata.testkit.Loopback.freePortBlock(10);

  @TempDir Path work;
  FakeAllocator allocator;
  final ScriptedContainerizer.Host host = new ScriptedContainerizer.Host();
  Agent agent;

  @BeforeEach
  void startAllocator() throws Exception {
    allocator = new FakeAllocator("join-secret", 100).start();
  }

  @AfterEach
  void stop() {
    if (agent != null) {
      agent.close();
    }
    allocator.close();
  }

  AgentConfig config(List<String> allowedUsers) {
    return new AgentConfig(
        work.toString(),
        allocator.uri().toString(),
        "join-secret",
        null,
        "127.0.0.1:0",
        null,
        "mem:4096",
        "cpus:0.5;mem:512",
        "[" + PORT_BASE + "-" + (PORT_BASE + 9) + "]",
        Map.of("zone", "z1"),
        "nobody",
        allowedUsers,
        false,
        null,
        null,
        null,
        null);
  }

  Agent startAgent() throws Exception {
    return startAgent(List.of());
  }

  Agent startAgent(List<String> allowedUsers) throws Exception {
    agent =
        new Agent(
            config(allowedUsers),
            List.of(new ScriptedContainerizer(host)),
            MACHINE,
            Clock.systemUTC(),
            FAST);
    agent.start();
    await("registration", () -> agent.isConnected());
    AgentId id = agent.agentId().orElseThrow();
    await("the stream", () -> allocator.hasStream(id));
    return agent;
  }

  /** Restarts the agent process: the old one stops dead, a new one starts on the same work dir. */
  void restartAgent() throws Exception {
    agent.close();
    startAgent();
  }

  void send(AgentMessage m) {
    assertThat(allocator.send(agent.agentId().orElseThrow(), m)).isTrue();
  }

  static TaskInfo task(String id, String shell, Resources resources) {
    return TaskInfo.command(TaskId.of(id), shell, resources);
  }

  static TaskInfo task(String id) {
    return task(id, "sleep 1000", Resources.of(500, 256L << 20));
  }

  TaskStatus awaitState(TaskId id, TaskState state) {
    return io.strata.testkit.Eventually.awaitValue(
        id + " " + state,
        () ->
            allocator.statusesOf(id).stream()
                .filter(s -> s.state() == state)
                .findFirst()
                .orElse(null));
  }

  ContainerId containerOf(TaskId id) {
    return io.strata.testkit.Eventually.awaitValue(
        "a launch of " + id,
        () ->
            host.launches().stream()
                .filter(l -> l.task().taskId().equals(id))
                .map(LaunchSpec::containerId)
                .findFirst()
                .orElse(null));
  }

  @Test
  void portsAnotherProcessHoldsAreNotOfferedButThoseOfItsOwnRecoveredTasksAre() throws Exception {
    int held = PORT_BASE + 3;
    io.strata.api.PortRanges offered =
        io.strata.api.PortRanges.of(
            new io.strata.api.PortRange(PORT_BASE, held - 1),
            new io.strata.api.PortRange(held + 1, PORT_BASE + 9));
    try (java.net.ServerSocket other =
        new java.net.ServerSocket(held, 1, java.net.InetAddress.getLoopbackAddress())) {
      startAgent();
      assertThat(allocator.registrations().get(0).info().resources().unreserved().ports())
          .isEqualTo(offered);

      // A task of the agent's own serves on its port; the restarted agent still offers that port
      // (the task's), and still not the one another process holds.
      int own = PORT_BASE + 5;
      send(
          new AgentMessage.RunTask(
              FW,
              FRAMEWORK,
              task(
                  "web",
                  "sleep 1000",
                  Resources.of(100, 1L << 20)
                      .withPorts(io.strata.api.PortRanges.range(own, own)))));
      awaitState(TaskId.of("web"), TaskState.RUNNING);
      try (java.net.ServerSocket task =
          new java.net.ServerSocket(own, 1, java.net.InetAddress.getLoopbackAddress())) {
        restartAgent();
        RegisterAgent again = allocator.registrations().get(allocator.registrations().size() - 1);
        assertThat(again.tasks())
            .containsExactly(new ReportedTask(FW, TaskId.of("web"), TaskState.RUNNING));
        assertThat(again.info().resources().unreserved().ports()).isEqualTo(offered);
      }
    }
  }

  @Test
  void aTaskWhosePortAnotherProcessTookSinceTheOfferFailsAtOnceSayingSo() throws Exception {
    startAgent();
    int port = PORT_BASE + 7;
    try (java.net.ServerSocket other =
        new java.net.ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
      send(
          new AgentMessage.RunTask(
              FW,
              FRAMEWORK,
              task(
                  "taken",
                  "sleep 1000",
                  Resources.of(100, 1L << 20)
                      .withPorts(io.strata.api.PortRanges.range(port - 1, port)))));
      TaskStatus failed = awaitState(TaskId.of("taken"), TaskState.FAILED);
      assertThat(failed.reason()).isEqualTo(Reason.LAUNCH_FAILED);
      assertThat(failed.message())
          .isEqualTo("port " + port + " is held by another process on this host");
      assertThat(host.launches()).noneMatch(l -> l.task().taskId().value().equals("taken"));
    }
    // Free again: the next task with that port runs.
    send(
        new AgentMessage.RunTask(
            FW,
            FRAMEWORK,
            task(
                "free",
                "sleep 1000",
                Resources.of(100, 1L << 20)
                    .withPorts(io.strata.api.PortRanges.range(port, port)))));
    awaitState(TaskId.of("free"), TaskState.RUNNING);
  }

  @Test
  void registersWithWhatItOffersAndComesBackAsItself() throws Exception {
    startAgent();
    RegisterAgent first = allocator.registrations().get(0);
    assertThat(first.agentId()).isNull();
    assertThat(first.info().hostname()).isEqualTo("test-host");
    assertThat(first.info().os()).isEqualTo(Os.LINUX);
    assertThat(first.info().resources().unreserved())
        .isEqualTo(
            new Resources(
                3500,
                3584L << 20,
                100L << 30,
                0,
                io.strata.api.PortRanges.range(PORT_BASE, PORT_BASE + 9)));
    assertThat(first.info().capabilities()).containsExactly("kill-tasks", "scripted");
    assertThat(first.info().attributes()).containsEntry("zone", "z1");
    assertThat(first.info().endpoint()).startsWith("http://127.0.0.1:");
    AgentId id = agent.agentId().orElseThrow();
    await("heartbeats", () -> allocator.heartbeats() >= 2);

    send(new AgentMessage.RunTask(FW, FRAMEWORK, task("web")));
    awaitState(TaskId.of("web"), TaskState.RUNNING);
    restartAgent();

    RegisterAgent again = allocator.registrations().get(allocator.registrations().size() - 1);
    assertThat(again.agentId()).isEqualTo(id);
    assertThat(again.tasks())
        .containsExactly(new ReportedTask(FW, TaskId.of("web"), TaskState.RUNNING));
  }

  @Test
  void reportsATaskFromLaunchToItsEndAndThenForgetsIt() throws Exception {
    startAgent();
    TaskId id = TaskId.of("job");
    send(new AgentMessage.RunTask(FW, FRAMEWORK, task("job")));
    TaskStatus running = awaitState(id, TaskState.RUNNING);
    assertThat(running.agentId()).isEqualTo(agent.agentId().orElseThrow());
    LaunchSpec spec = host.launches().get(0);
    assertThat(spec.user()).isEqualTo("nobody");
    assertThat(spec.environment())
        .containsEntry("STRATA_TASK_ID", "job")
        .containsEntry("STRATA_CONTAINER_ID", spec.containerId().value())
        .containsEntry("HOST", "test-host");

    host.end(spec.containerId(), Termination.exited(0));

    TaskStatus finished = awaitState(id, TaskState.FINISHED);
    assertThat(finished.exitCode()).isZero();
    await(
        "the checkpoint to go",
        () -> !Files.exists(work.resolve("meta/tasks/" + spec.containerId() + ".json")));
    assertThat(agent.pendingUpdates()).isEmpty();
  }

  @Test
  void updatesWaitOnDiskWhileTheAllocatorIsDownAndArriveWhenItIsBack() throws Exception {
    startAgent();
    TaskId id = TaskId.of("batch");
    send(new AgentMessage.RunTask(FW, FRAMEWORK, task("batch")));
    awaitState(id, TaskState.RUNNING);
    ContainerId container = containerOf(id);
    // The allocator has RUNNING, but its acknowledgement may still be on its way to the agent.
    await("the RUNNING update to be acknowledged", () -> agent.pendingUpdates().isEmpty());

    allocator.stop();
    host.end(container, Termination.exited(3));
    await("the update on disk", () -> agent.pendingUpdates().size() == 1);
    assertThat(Files.list(work.resolve("outbox")).count()).isEqualTo(1);
    restartAgentWhileAllocatorIsDown();
    assertThat(agent.pendingUpdates()).hasSize(1);

    allocator.start();
    TaskStatus failed = awaitState(id, TaskState.FAILED);

    assertThat(failed.exitCode()).isEqualTo(3);
    assertThat(failed.reason()).isEqualTo(Reason.COMMAND_EXITED);
    await("the outbox to drain", () -> agent.pendingUpdates().isEmpty());
    assertThat(allocator.distinctStatusesOf(id))
        .extracting(TaskStatus::state)
        .containsExactly(TaskState.RUNNING, TaskState.FAILED);
    assertThat(host.launches()).hasSize(1);
  }

  private void restartAgentWhileAllocatorIsDown() throws Exception {
    agent.close();
    agent =
        new Agent(
            config(List.of()),
            List.of(new ScriptedContainerizer(host)),
            MACHINE,
            Clock.systemUTC(),
            FAST);
    agent.start();
  }

  @Test
  void refusedUpdatesAreRetriedUntilAcknowledged() throws Exception {
    startAgent();
    allocator.refuseStatusUpdatesWith(503);
    send(new AgentMessage.RunTask(FW, FRAMEWORK, task("retry")));
    ContainerId container = containerOf(TaskId.of("retry"));
    host.end(container, Termination.exited(0));
    await("updates pending", () -> agent.pendingUpdates().size() == 2);
    Thread.sleep(300);
    assertThat(allocator.statuses()).isEmpty();

    allocator.refuseStatusUpdatesWith(0);

    awaitState(TaskId.of("retry"), TaskState.FINISHED);
    assertThat(allocator.distinctStatusesOf(TaskId.of("retry")))
        .extracting(TaskStatus::state)
        .containsExactly(TaskState.RUNNING, TaskState.FINISHED);
  }

  @Test
  void registersAgainWithItsTasksWhenTheAllocatorForgetsIt() throws Exception {
    startAgent();
    AgentId id = agent.agentId().orElseThrow();
    send(new AgentMessage.RunTask(FW, FRAMEWORK, task("svc")));
    awaitState(TaskId.of("svc"), TaskState.RUNNING);
    int before = allocator.registrations().size();

    allocator.forgetAgents();

    await("a new registration", () -> allocator.registrations().size() > before);
    RegisterAgent again = allocator.registrations().get(allocator.registrations().size() - 1);
    assertThat(again.agentId()).isEqualTo(id);
    assertThat(again.tasks())
        .containsExactly(new ReportedTask(FW, TaskId.of("svc"), TaskState.RUNNING));
    await("the stream again", () -> allocator.hasStream(id));
  }

  @Test
  void aReactivatedAgentNoLongerConsidersItselfDraining() throws Exception {
    startAgent();
    send(new AgentMessage.Drain(null));
    await("draining", () -> agent.draining());
    send(new AgentMessage.Reactivate());
    await("reactivated", () -> !agent.draining());
    send(new AgentMessage.RunTask(FW, FRAMEWORK, task("after")));
    awaitState(TaskId.of("after"), TaskState.RUNNING);
    assertThat(agent.draining()).isFalse();
  }

  @Test
  void killsTasksAndAnswersKillsOfUnknownTasks() throws Exception {
    startAgent();
    send(new AgentMessage.RunTask(FW, FRAMEWORK, task("victim")));
    awaitState(TaskId.of("victim"), TaskState.RUNNING);

    send(new AgentMessage.KillTask(FW, TaskId.of("victim"), 100L, null));
    send(new AgentMessage.KillTask(FW, TaskId.of("ghost"), null, null));

    TaskStatus killed = awaitState(TaskId.of("victim"), TaskState.KILLED);
    assertThat(killed.reason()).isEqualTo(Reason.KILLED_BY_FRAMEWORK);
    TaskStatus ghost = awaitState(TaskId.of("ghost"), TaskState.LOST);
    assertThat(ghost.reason()).isEqualTo(Reason.TASK_UNKNOWN);
  }

  @Test
  void oneKillTasksMessageKillsEachOfItsTasks() throws Exception {
    startAgent();
    send(new AgentMessage.RunTask(FW, FRAMEWORK, task("v1")));
    send(new AgentMessage.RunTask(FW, FRAMEWORK, task("v2")));
    awaitState(TaskId.of("v1"), TaskState.RUNNING);
    awaitState(TaskId.of("v2"), TaskState.RUNNING);

    send(
        new AgentMessage.KillTasks(
            FW,
            List.of(TaskId.of("v1"), TaskId.of("v2"), TaskId.of("ghost")),
            100L,
            Reason.KILLED_BY_FRAMEWORK));

    assertThat(awaitState(TaskId.of("v1"), TaskState.KILLED).reason())
        .isEqualTo(Reason.KILLED_BY_FRAMEWORK);
    assertThat(awaitState(TaskId.of("v2"), TaskState.KILLED).reason())
        .isEqualTo(Reason.KILLED_BY_FRAMEWORK);
    assertThat(awaitState(TaskId.of("ghost"), TaskState.LOST).reason())
        .isEqualTo(Reason.TASK_UNKNOWN);
  }

  @Test
  void badTasksFailWithAClearReasonAndTheAgentCarriesOn() throws Exception {
    startAgent(List.of("nobody", "www-data"));

    send(
        new AgentMessage.RunTask(
            FW, FRAMEWORK, task("huge", "true", Resources.of(64_000, 1L << 20))));
    send(
        new AgentMessage.RunTask(
            FW, FRAMEWORK, task("who", "true", Resources.of(100, 1L << 20)).withUser("postgres")));
    send(
        new AgentMessage.RunTask(
            FW,
            FRAMEWORK,
            new TaskInfo(
                TaskId.of("boxed"),
                null,
                null,
                ContainerInfo.of("busybox"),
                Resources.of(100, 1L << 20),
                null,
                null,
                null,
                null,
                null,
                null,
                null)));
    send(
        new AgentMessage.RunTask(
            FW, FRAMEWORK, task("broken", "unlaunchable", Resources.of(100, 1L << 20))));
    send(new AgentMessage.RunTask(FW, FRAMEWORK, task("fine")));
    send(new AgentMessage.RunTask(FW, FRAMEWORK, task("fine")));

    TaskStatus huge = awaitState(TaskId.of("huge"), TaskState.FAILED);
    assertThat(huge.reason()).isEqualTo(Reason.INSUFFICIENT_RESOURCES);
    assertThat(huge.message()).contains("task.resources").contains("short of cpus");
    TaskStatus who = awaitState(TaskId.of("who"), TaskState.FAILED);
    assertThat(who.reason()).isEqualTo(Reason.UNAUTHORIZED);
    assertThat(who.message()).contains("task.user: 'postgres'");
    TaskStatus boxed = awaitState(TaskId.of("boxed"), TaskState.FAILED);
    assertThat(boxed.reason()).isEqualTo(Reason.INVALID_TASK);
    assertThat(boxed.message()).contains("task.container");
    TaskStatus broken = awaitState(TaskId.of("broken"), TaskState.FAILED);
    assertThat(broken.reason()).isEqualTo(Reason.LAUNCH_FAILED);
    assertThat(broken.message()).isEqualTo("scripted launch failure");
    awaitState(TaskId.of("fine"), TaskState.RUNNING);
    assertThat(host.launches().stream().filter(l -> l.task().taskId().value().equals("fine")))
        .hasSize(1);
    assertThat(agent.isConnected()).isTrue();
  }

  @Test
  void recoversRunningTasksAndReportsThoseThatEndedWhileItWasDown() throws Exception {
    startAgent();
    send(new AgentMessage.RunTask(FW, FRAMEWORK, task("stays")));
    send(new AgentMessage.RunTask(FW, FRAMEWORK, task("leaves")));
    awaitState(TaskId.of("stays"), TaskState.RUNNING);
    awaitState(TaskId.of("leaves"), TaskState.RUNNING);
    agent.close();

    host.end(containerOf(TaskId.of("leaves")), Termination.exited(7));
    startAgent();

    TaskStatus left = awaitState(TaskId.of("leaves"), TaskState.FAILED);
    assertThat(left.exitCode()).isEqualTo(7);
    await(
        "a second RUNNING for the survivor",
        () -> allocator.distinctStatusesOf(TaskId.of("stays")).size() == 2);
    assertThat(allocator.distinctStatusesOf(TaskId.of("stays")))
        .extracting(TaskStatus::state)
        .containsOnly(TaskState.RUNNING);
    assertThat(host.running()).containsExactly(containerOf(TaskId.of("stays")));
    assertThat(host.launches()).hasSize(2);
  }

  @Test
  void aTaskFailingItsHealthCheckIsKilledAndReportedSo() throws Exception {
    startAgent();
    TaskInfo checked =
        new TaskInfo(
            TaskId.of("checked"),
            null,
            CommandInfo.shell("serve"),
            null,
            Resources.of(100, 1L << 20),
            null,
            null,
            null,
            null,
            null,
            new HealthCheck(HealthCheck.Type.COMMAND, "check", null, null, null, 20L, 1000L, 0L, 2),
            null);
    send(new AgentMessage.RunTask(FW, FRAMEWORK, checked));
    await(
        "healthy",
        () ->
            allocator.statusesOf(TaskId.of("checked")).stream()
                .anyMatch(s -> Boolean.TRUE.equals(s.healthy())));

    host.healthy(false);

    TaskStatus failed = awaitState(TaskId.of("checked"), TaskState.FAILED);
    assertThat(failed.reason()).isEqualTo(Reason.HEALTH_CHECK_FAILED);
    assertThat(allocator.statusesOf(TaskId.of("checked")))
        .anyMatch(s -> Boolean.FALSE.equals(s.healthy()));
  }

  @Test
  void anAgentTheAllocatorRemovedKillsItsTasksAndJoinsAnew() throws Exception {
    startAgent();
    AgentId old = agent.agentId().orElseThrow();
    send(new AgentMessage.RunTask(FW, FRAMEWORK, task("doomed")));
    awaitState(TaskId.of("doomed"), TaskState.RUNNING);

    allocator.remove(old);

    await("a new id", () -> agent.agentId().isPresent() && !agent.agentId().get().equals(old));
    await("the task killed", () -> host.running().isEmpty());
  }

  /** The agent's credential as kept on disk, next to its id. */
  private String keptCredential() throws Exception {
    return Files.readString(work.resolve("meta").resolve("agent-credential")).strip();
  }

  @Test
  void keepsTheIdTheAllocatorAssignedWithItsCredentialOwnerOnlyAndReRegistersWithIt()
      throws Exception {
    startAgent();
    AgentId id = agent.agentId().orElseThrow();
    assertThat(Files.readString(work.resolve("meta").resolve("agent-id")).strip())
        .isEqualTo(id.value());
    assertThat(keptCredential()).isEqualTo(allocator.credentialOf(id));
    if (java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      assertThat(
              java.nio.file.attribute.PosixFilePermissions.toString(
                  Files.getPosixFilePermissions(work.resolve("meta").resolve("agent-credential"))))
          .isEqualTo("rw-------");
    }
    send(new AgentMessage.RunTask(FW, FRAMEWORK, task("kept")));
    awaitState(TaskId.of("kept"), TaskState.RUNNING);

    // The fake, like the allocator, takes only the agent's own credential for a known id: the
    // restarted agent comes back as itself, with its task.
    restartAgent();
    assertThat(agent.agentId()).contains(id);
    RegisterAgent again = allocator.registrations().get(allocator.registrations().size() - 1);
    assertThat(again.agentId()).isEqualTo(id);
    assertThat(again.tasks())
        .containsExactly(new ReportedTask(FW, TaskId.of("kept"), TaskState.RUNNING));
    assertThat(host.running()).hasSize(1);
  }

  @Test
  void anAgentWhoseCredentialWasRevokedKillsItsTasksAndJoinsAnew() throws Exception {
    startAgent();
    AgentId old = agent.agentId().orElseThrow();
    String oldCredential = keptCredential();
    send(new AgentMessage.RunTask(FW, FRAMEWORK, task("doomed")));
    awaitState(TaskId.of("doomed"), TaskState.RUNNING);

    allocator.revoke(old);

    await("a new id", () -> agent.agentId().isPresent() && !agent.agentId().get().equals(old));
    await("the task killed", () -> host.running().isEmpty());
    AgentId fresh = agent.agentId().orElseThrow();
    await("connected again", () -> agent.isConnected() && allocator.hasStream(fresh));
    assertThat(keptCredential())
        .isNotEqualTo(oldCredential)
        .isEqualTo(allocator.credentialOf(fresh));
    assertThat(allocator.registrations().get(allocator.registrations().size() - 1).agentId())
        .isNull();
  }

  @Test
  void anAgentTheAllocatorLostJoinsAnew() throws Exception {
    startAgent();
    AgentId old = agent.agentId().orElseThrow();
    allocator.loseState();
    await("a new id", () -> agent.agentId().isPresent() && !agent.agentId().get().equals(old));
    await("connected again", () -> allocator.hasStream(agent.agentId().orElseThrow()));
  }

  @Test
  void anIdWithoutItsCredentialJoinsAnew() throws Exception {
    startAgent();
    AgentId old = agent.agentId().orElseThrow();
    agent.close();
    Files.delete(work.resolve("meta").resolve("agent-credential"));
    startAgent();
    assertThat(agent.agentId().orElseThrow()).isNotEqualTo(old);
    assertThat(allocator.registrations().get(allocator.registrations().size() - 1).agentId())
        .isNull();
  }
}
