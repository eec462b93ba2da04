package io.strata.agent.windows;

import static io.strata.testkit.Eventually.await;
import static io.strata.testkit.Eventually.awaitValue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.verify;

import io.strata.agent.Agent;
import io.strata.agent.AgentConfig;
import io.strata.agent.windows.container.WindowsContainers;
import io.strata.api.AgentId;
import io.strata.api.Backoff;
import io.strata.api.Capabilities;
import io.strata.api.FrameworkId;
import io.strata.api.FrameworkInfo;
import io.strata.api.Os;
import io.strata.api.PortRanges;
import io.strata.api.Reason;
import io.strata.api.Resources;
import io.strata.api.TaskId;
import io.strata.api.TaskInfo;
import io.strata.api.TaskState;
import io.strata.api.TaskStatus;
import io.strata.api.agent.AgentMessage;
import io.strata.api.agent.RegisterAgent;
import io.strata.fakes.allocator.FakeAllocator;
import io.strata.testkit.RequiresDocker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.ArgumentCaptor;

/**
 * The Windows agent as {@link WindowsNode} assembles it (agent-core's runtime, the job-object
 * containerizer, Windows discovery, the task-user rule) against agent-core's fake allocator, on any
 * OS: kernel32 is a Mockito mock ({@link FakeWindows}). What only real Windows can show (processes
 * in jobs, exit codes) is in {@link WindowsAgentOnWindowsTest}.
 */
class WindowsAgentTest {
  static final FrameworkId FW = FrameworkId.of("fw-win");
  static final Agent.Timings FAST =
      new Agent.Timings(
          new Backoff(Duration.ofMillis(50), Duration.ofMillis(400)),
          new Backoff(Duration.ofMillis(50), Duration.ofMillis(400)),
          Duration.ofMillis(200));

  /** Ten ports nothing on this host holds (the agent leaves out those another process holds). */
  static final int PORT_BASE = io.strata.testkit.Loopback.freePortBlock(10);

  @TempDir Path work;
  final FakeWindows windows = new FakeWindows();
  FakeAllocator allocator;
  Agent agent;

  @BeforeEach
  void startAllocator() throws IOException {
    allocator = new FakeAllocator("win-token", 100).start();
  }

  @AfterEach
  void stop() {
    if (agent != null) {
      agent.close();
    }
    allocator.close();
  }

  WindowsAgentConfig config(io.strata.agent.main.DockerSection docker) {
    return new WindowsAgentConfig(
        new AgentConfig(
            work.resolve("agent").toString(),
            allocator.uri().toString(),
            "win-token",
            null,
            "127.0.0.1:0",
            null,
            null,
            WindowsAgentConfig.DEFAULT_RESERVED,
            "[" + PORT_BASE + "-" + (PORT_BASE + 9) + "]",
            Map.of("pool", "win"),
            null,
            null,
            null,
            null,
            null,
            null,
            null),
        null,
        docker != null
            ? docker
            : new io.strata.agent.main.DockerSection(
                io.strata.agent.main.DockerSection.Mode.OFF, null));
  }

  AgentId start(WindowsAgentConfig config) throws IOException {
    agent = WindowsNode.agent(config, windows.platform(), FAST);
    agent.start();
    await("registration", () -> agent.isConnected());
    AgentId id = agent.agentId().orElseThrow();
    await("the stream", () -> allocator.hasStream(id));
    return id;
  }

  static FrameworkInfo framework(String user) {
    return new FrameworkInfo(FW, "win-tests", user, Set.of("eng"), null, null, null);
  }

  static TaskInfo task(String id, String user) {
    return TaskInfo.command(TaskId.of(id), "echo hello", Resources.of(500, 64L << 20))
        .withUser(user);
  }

  TaskStatus awaitState(String task, TaskState state) {
    return awaitValue(
        task + " " + state,
        () ->
            allocator.statusesOf(TaskId.of(task)).stream()
                .filter(s -> s.state() == state)
                .findFirst()
                .orElse(null));
  }

  List<String> commandLines() {
    ArgumentCaptor<char[]> lines = ArgumentCaptor.forClass(char[].class);
    verify(windows.k, atLeastOnce())
        .CreateProcessW(
            isNull(),
            lines.capture(),
            isNull(),
            isNull(),
            anyBoolean(),
            anyInt(),
            any(),
            any(),
            any(),
            any());
    List<String> out = new ArrayList<>();
    lines.getAllValues().forEach(c -> out.add(new String(c).replace("\0", "")));
    return out;
  }

  @Test
  void registersAsAWindowsMachineWithJobObjects() throws Exception {
    start(config(null));

    RegisterAgent r = allocator.registrations().get(0);
    assertThat(r.info().os()).isEqualTo(Os.WINDOWS);
    assertThat(r.info().hostname()).isEqualTo("win-1");
    assertThat(r.info().capabilities())
        .containsExactlyInAnyOrder(Capabilities.JOB_OBJECTS, Capabilities.KILL_TASKS);
    // 8 processors, 16 GiB less Windows' 1 GiB, the free space of the work volume.
    assertThat(r.info().resources().unreserved())
        .isEqualTo(
            new Resources(
                8000, 15L << 30, 100L << 30, 0, PortRanges.range(PORT_BASE, PORT_BASE + 9)));
    assertThat(r.info().attributes()).containsEntry("pool", "win");
    assertThat(r.info().endpoint()).startsWith("http://127.0.0.1:");
  }

  @Test
  void aTaskWithNoUserRunsAsTheAgentsAccountInItsJobUntilItExits() throws Exception {
    AgentId id = start(config(null));

    // Neither task nor framework names a user: agent-core's default, nobody, is the agent.
    allocator.send(id, new AgentMessage.RunTask(FW, framework(null), task("hello", null)));
    awaitState("hello", TaskState.RUNNING);

    assertThat(commandLines()).anyMatch(line -> line.contains("cmd.exe /d /s /c \"echo hello\""));
    verify(windows.k)
        .CreateJobObjectW(any(), org.mockito.ArgumentMatchers.startsWith("strata-hello-"));
    Path checkpoint =
        awaitValue(
            "a checkpoint",
            () -> {
              try (var files = Files.list(work.resolve("agent/meta/tasks"))) {
                return files.findFirst().orElse(null);
              } catch (IOException e) {
                return null;
              }
            });
    assertThat(Files.readString(checkpoint)).contains("\"account\":\"WIN-1\\\\strata-svc\"");

    windows.exit(0);
    awaitState("hello", TaskState.FINISHED);
  }

  @Test
  void aFrameworkNamingTheAgentsAccountRunsAndAnotherAccountIsRefused() throws Exception {
    AgentId id = start(config(null));

    allocator.send(
        id, new AgentMessage.RunTask(FW, framework("WIN-1\\strata-svc"), task("mine", null)));
    allocator.send(id, new AgentMessage.RunTask(FW, framework(null), task("admin", "SYSTEM")));
    allocator.send(id, new AgentMessage.RunTask(FW, framework(null), task("ghost", "ghost")));

    awaitState("mine", TaskState.RUNNING);
    TaskStatus refused = awaitState("admin", TaskState.FAILED);
    assertThat(refused.reason()).isEqualTo(Reason.UNAUTHORIZED);
    assertThat(refused.message())
        .contains("runs tasks as its own account 'WIN-1\\strata-svc' only, not as 'SYSTEM'");
    TaskStatus unknown = awaitState("ghost", TaskState.FAILED);
    assertThat(unknown.reason()).isEqualTo(Reason.LAUNCH_FAILED);
    assertThat(unknown.message()).contains("no account 'ghost'");
  }

  @Test
  void theAllocatorsShutdownEndsTheServiceBody() throws Exception {
    WindowsAgentConfig config = config(null);
    io.strata.agent.main.AgentRun lifecycle =
        new io.strata.agent.main.AgentRun(
            () -> WindowsNode.agent(config, windows.platform(), FAST));
    lifecycle.start();
    agent = lifecycle.agent();
    await("registration", () -> agent.isConnected());
    AgentId id = agent.agentId().orElseThrow();
    await("the stream", () -> allocator.hasStream(id));
    assertThat(lifecycle.ended()).isNotDone();

    allocator.send(id, new AgentMessage.Shutdown("decommissioned"));

    assertThat(lifecycle.ended().toCompletableFuture().get()).isZero();
    lifecycle.stop();
    lifecycle.stop(); // once only: the SCM's STOP may follow the body's own end
    verify(windows.k, org.mockito.Mockito.times(1))
        .PostQueuedCompletionStatus(any(), anyInt(), any(), any());
  }

  @Test
  void dockerOnWithoutAnEngineIsAnErrorAndAutoRunsWithout() throws Exception {
    String nowhere = "unix://" + work.resolve("no-engine.sock");
    WindowsAgentConfig on =
        config(
            new io.strata.agent.main.DockerSection(
                io.strata.agent.main.DockerSection.Mode.ON, nowhere));
    assertThatThrownBy(
            () -> WindowsNode.containerizers(on, windows.platform(WindowsContainers::client)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("docker.mode is on but the engine at " + nowhere)
        .hasMessageContaining("does not answer");

    WindowsAgentConfig auto =
        config(
            new io.strata.agent.main.DockerSection(
                io.strata.agent.main.DockerSection.Mode.AUTO, nowhere));
    var containerizers =
        WindowsNode.containerizers(auto, windows.platform(WindowsContainers::client));
    try {
      assertThat(containerizers).extracting(c -> c.name()).containsExactly("windows");
    } finally {
      containerizers.forEach(c -> c.close());
    }
  }

  @Test
  @RequiresDocker
  void aLinuxEngineDoesNotMakeAWindowsContainerHost() {
    WindowsAgentConfig on =
        config(
            new io.strata.agent.main.DockerSection(
                io.strata.agent.main.DockerSection.Mode.ON, "unix:///var/run/docker.sock"));
    assertThatThrownBy(
            () -> WindowsNode.containerizers(on, windows.platform(WindowsContainers::client)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("runs linux containers, not Windows containers");
  }
}
