package io.strata.agent.windows;

import static io.strata.testkit.Eventually.await;
import static io.strata.testkit.Eventually.awaitValue;
import static org.assertj.core.api.Assertions.assertThat;

import io.strata.agent.windows.exec.NativeAccounts;
import io.strata.api.AgentId;
import io.strata.api.Capabilities;
import io.strata.api.FrameworkId;
import io.strata.api.Os;
import io.strata.api.Reason;
import io.strata.api.Resources;
import io.strata.api.TaskId;
import io.strata.api.TaskInfo;
import io.strata.api.TaskState;
import io.strata.api.TaskStatus;
import io.strata.api.agent.AgentMessage;
import io.strata.api.agent.RegisterAgent;
import io.strata.fakes.allocator.FakeAllocator;
import io.strata.testkit.RequiresWindows;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Windows agent, as its own JVM, against agent-core's fake allocator: from a console
 * ({@code WindowsAgentMain run --config}), and as a Windows service created with sc.exe ({@code
 * --windows-service}; this one needs an elevated prompt, as GitHub's Windows runners are). Real job
 * objects, real processes. Skipped elsewhere; the windows workflow cannot skip them.
 */
@RequiresWindows
class WindowsAgentOnWindowsTest {
  static final FrameworkId FW = FrameworkId.of("fw-windows");
  @TempDir Path work;
  FakeAllocator allocator;
  Process agent;

  @BeforeEach
  void startAllocator() throws IOException {
    allocator = new FakeAllocator("windows-token", 200).start();
  }

  @AfterEach
  void stop() throws Exception {
    if (agent != null && agent.isAlive()) {
      agent.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    allocator.close();
  }

  Path config() throws IOException {
    Path file = work.resolve("agent.yaml");
    Files.writeString(
        file,
        """
        agent:
          workDir: '%s'
          allocator: %s
          joinToken: windows-token
          listen: 127.0.0.1:0
        docker:
          mode: "off"
        """
            .formatted(work.resolve("agent"), allocator.uri()));
    return file;
  }

  static List<String> agentCommand(Path config, String... more) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java.exe").toString());
    command.addAll(
        List.of(
            "-Xmx96m",
            "-cp",
            System.getProperty("java.class.path"),
            WindowsAgentMain.class.getName(),
            "run",
            "--config",
            config.toString()));
    command.addAll(List.of(more));
    return command;
  }

  AgentId awaitAgent(java.util.function.Supplier<String> log) {
    try {
      return awaitValue(
          "the agent's stream",
          () -> allocator.hasStream(AgentId.of("agent-1")) ? AgentId.of("agent-1") : null);
    } catch (AssertionError | RuntimeException e) {
      throw new AssertionError("the agent did not connect; its log:\n" + log.get(), e);
    }
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

  /** The stdout of the task's sandbox (there is one run of each task in these tests). */
  String stdoutOf(String task) throws IOException {
    try (Stream<Path> sandboxes = Files.list(work.resolve("agent").resolve("sandboxes"))) {
      Path sandbox =
          sandboxes
              .filter(p -> p.getFileName().toString().startsWith(task + "-"))
              .findFirst()
              .orElseThrow();
      return Files.readString(sandbox.resolve("stdout"), StandardCharsets.UTF_8);
    }
  }

  static TaskInfo task(String id, String shell) {
    return TaskInfo.command(TaskId.of(id), shell, Resources.of(250, 64L << 20));
  }

  @Test
  void runsTasksFromAConsoleUntilTheAllocatorShutsItDown() throws Exception {
    agent =
        new ProcessBuilder(agentCommand(config()))
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("agent.log").toFile())
            .start();
    AgentId id = awaitAgent(this::log);

    RegisterAgent registration = allocator.registrations().get(0);
    assertThat(registration.info().os()).isEqualTo(Os.WINDOWS);
    assertThat(registration.info().capabilities())
        .containsExactlyInAnyOrder(Capabilities.JOB_OBJECTS, Capabilities.KILL_TASKS);
    assertThat(registration.info().resources().total().millicpus())
        .isEqualTo(Runtime.getRuntime().availableProcessors() * 1000L);

    // No user anywhere: agent-core's default (nobody) runs as the agent's own account.
    allocator.send(
        id, new AgentMessage.RunTask(FW, null, task("hello", "echo hello from windows")));
    awaitState("hello", TaskState.FINISHED);
    assertThat(stdoutOf("hello")).contains("hello from windows");

    String other =
        new NativeAccounts().current().sid().equals("S-1-5-18") ? "Administrator" : "SYSTEM";
    allocator.send(
        id, new AgentMessage.RunTask(FW, null, task("other", "echo no").withUser(other)));
    TaskStatus refused = awaitState("other", TaskState.FAILED);
    assertThat(refused.reason()).isEqualTo(Reason.UNAUTHORIZED);
    assertThat(refused.message()).contains("not as '" + other + "'");

    allocator.send(
        id, new AgentMessage.RunTask(FW, null, task("pinger", "ping.exe -n 100000 127.0.0.1")));
    awaitState("pinger", TaskState.RUNNING);
    allocator.send(
        id, new AgentMessage.KillTask(FW, TaskId.of("pinger"), 2_000L, Reason.KILLED_BY_FRAMEWORK));
    awaitState("pinger", TaskState.KILLED);

    allocator.send(id, new AgentMessage.Shutdown("test over"));
    assertThat(agent.waitFor(60, TimeUnit.SECONDS)).as("the agent exits").isTrue();
    assertThat(agent.exitValue()).as(log()).isZero();
  }

  @Test
  void runsAsAWindowsServiceAndItsTasksRunAsTheServiceAccount() throws Exception {
    String service = "StrataAgentTest" + UUID.randomUUID().toString().substring(0, 8);
    List<String> command = agentCommand(config(), "--windows-service");
    for (String part : command) {
      assertThat(part)
          .as("sc.exe binPath= takes this command line as one string")
          .doesNotContain(" ")
          .doesNotContain("\"");
    }
    try {
      sc("create", service, "binPath=", String.join(" ", command), "start=", "demand");
      sc("start", service);
      AgentId id = awaitAgent(this::serviceLog);
      assertThat(allocator.registrations().get(0).info().os()).isEqualTo(Os.WINDOWS);

      allocator.send(id, new AgentMessage.RunTask(FW, null, task("who", "whoami")));
      awaitState("who", TaskState.FINISHED);
      // The service runs as LocalSystem, and so do its tasks.
      assertThat(stdoutOf("who").toLowerCase(Locale.ROOT)).contains("nt authority\\system");

      sc("stop", service);
      await(
          "the service to stop",
          Duration.ofSeconds(60),
          () -> query(service).map(q -> q.contains("STOPPED")).orElse(false));
      // Stopped on request: exit code 0, so the SCM's recovery actions leave it stopped.
      assertThat(query(service).orElseThrow())
          .as(serviceLog())
          .containsPattern("WIN32_EXIT_CODE\\s*:\\s*0\\s");
    } finally {
      scQuietly("stop", service);
      scQuietly("delete", service);
    }
  }

  String log() {
    try {
      return Files.readString(work.resolve("agent.log"));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  String serviceLog() {
    try {
      return Files.readString(work.resolve("agent").resolve("logs").resolve("agent.log"));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  static String sc(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("sc.exe"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new AssertionError("sc.exe " + String.join(" ", args) + " failed: " + output);
    }
    return output;
  }

  static void scQuietly(String... args) {
    try {
      sc(args);
    } catch (AssertionError | IOException e) {
      // The service may already be stopped or gone.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** sc.exe query's output: STATE and WIN32_EXIT_CODE / SERVICE_EXIT_CODE lines. */
  static Optional<String> query(String service) {
    try {
      return Optional.of(sc("query", service));
    } catch (AssertionError | IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
