package io.strata.agent.windows;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.api.AgentId;
import io.strata.api.AgentInfo;
import io.strata.api.Capabilities;
import io.strata.api.FrameworkId;
import io.strata.api.Os;
import io.strata.api.PortRanges;
import io.strata.api.Resources;
import io.strata.api.TaskId;
import io.strata.api.TaskInfo;
import io.strata.api.TaskState;
import io.strata.api.agent.AgentMessage;
import io.strata.fakes.allocator.FakeAllocator;
import io.strata.testkit.Eventually;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

class WindowsAgentMainTest {
  @TempDir Path dir;
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  int run(String... args) {
    return WindowsAgentMain.run(
        List.of(args),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void printsTheDryRunOfATask() throws Exception {
    Path task = dir.resolve("task.json");
    Files.writeString(
        task,
        """
        {"taskId": "web-1", "command": {"argv": ["C:\\\\apps\\\\web.exe", "--port", "8080"]},
         "resources": {"millicpus": 1000, "memoryBytes": 268435456}, "pidsLimit": 32}
        """);

    assertThat(run("plan", task.toString(), "--processors", "4")).isZero();

    String dry = out.toString(StandardCharsets.UTF_8);
    assertThat(dry)
        .contains("CreateJobObjectW(name=strata-web-1)")
        .contains("JobMemoryLimit=268435456")
        .contains("ActiveProcessLimit=32")
        .contains("CpuRate=2500")
        .contains("CreateProcessW(\"C:\\apps\\web.exe --port 8080\"")
        .contains("ResumeThread");
  }

  @Test
  void aBadTaskIsAClearErrorWithTheField() throws Exception {
    Path task = dir.resolve("bad.json");
    Files.writeString(
        task,
        "{\"taskId\": \"x\", \"command\": {\"shell\": \"a\"}, \"resources\": {\"millicpus\": -1}}");

    assertThat(run("plan", task.toString(), "--processors", "4")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("millicpus")
        .doesNotContain("at io.strata");
  }

  @Test
  void unknownCommandsAreRefused() {
    assertThat(run("launch-rockets")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("expected run, info or plan");
  }

  Path agentConfig(String allocator) throws Exception {
    Path config = dir.resolve("agent.yaml");
    Files.writeString(
        config,
        """
        agent:
          workDir: %s
          allocator: %s
          joinToken: win-token
          listen: 127.0.0.1:0
        docker:
          mode: "off"
        """
            .formatted(dir.resolve("work"), allocator));
    return config;
  }

  @Test
  void checkSaysWhichFormItRead() throws Exception {
    assertThat(run("--config", agentConfig("http://127.0.0.1:1").toString(), "--check")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("agent.yaml: ok (agent form)");
  }

  @Test
  void aBadConfigIsRefusedWithEveryFieldPathAndNoStackTrace() throws Exception {
    Path config = dir.resolve("agent.yaml");
    Files.writeString(
        config,
        """
        agent: {workDir: w, allocator: 'http://a:1', joinToken: t, reserved: "cpus:lots"}
        windows: {agentAccountAliases: [""]}
        docker: {mode: maybe}
        """);

    assertThat(run("run", "--config", config.toString())).isEqualTo(2);

    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("agent.yaml: agent.reserved")
        .contains("agent.yaml: windows.agentAccountAliases[0]: must not be blank")
        .contains("agent.yaml: docker.mode: must be one of [auto, on, off]")
        .doesNotContain("Exception")
        .doesNotContain("\tat ");
  }

  @Test
  void argumentMistakesAreUsageErrors() {
    assertThat(run("--config", dir.resolve("none.yaml").toString())).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("none.yaml: no such file");
    assertThat(run("--config")).isEqualTo(2);
    assertThat(run("--frobnicate")).isEqualTo(2);
    assertThat(run("run")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--config FILE is required");
    assertThat(run("--help")).isZero();
  }

  @Test
  @DisabledOnOs(
      value = OS.WINDOWS,
      disabledReason = "there, the service mode takes the JVM's stdout")
  void theServiceModeIsForWindows() throws Exception {
    Path config = agentConfig("http://127.0.0.1:1");
    assertThat(run("--windows-service", "--config", config.toString())).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("Windows only");
  }

  @Test
  void runsUntilTheAllocatorShutsItDown() throws Exception {
    FakeWindows windows = new FakeWindows();
    try (FakeAllocator allocator = new FakeAllocator("win-token", 100).start()) {
      Path config = agentConfig(allocator.uri().toString());
      CompletableFuture<Integer> exit =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return WindowsAgentMain.runCommand(
                      new ArrayDeque<>(List.of("--config", config.toString())),
                      windows::platform,
                      new PrintStream(out, true, StandardCharsets.UTF_8),
                      new PrintStream(err, true, StandardCharsets.UTF_8));
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      AgentId id =
          Eventually.awaitValue(
              "the agent's stream",
              () -> allocator.hasStream(AgentId.of("agent-1")) ? AgentId.of("agent-1") : null);
      assertThat(allocator.registrations().get(0).info().os()).isEqualTo(Os.WINDOWS);

      allocator.send(
          id,
          new AgentMessage.RunTask(
              FrameworkId.of("fw"),
              null,
              TaskInfo.command(TaskId.of("t"), "echo hi", Resources.of(100, 16L << 20))));
      Eventually.await(
          "RUNNING",
          () ->
              allocator.statusesOf(TaskId.of("t")).stream()
                  .anyMatch(st -> st.state() == TaskState.RUNNING));
      windows.exit(0);
      Eventually.await(
          "FINISHED",
          () ->
              allocator.statusesOf(TaskId.of("t")).stream()
                  .anyMatch(st -> st.state() == TaskState.FINISHED));
      assertThat(exit).isNotDone();

      allocator.send(id, new AgentMessage.Shutdown("bye"));

      assertThat(exit.get(60, TimeUnit.SECONDS)).isZero();
    }
  }

  @Test
  void dryRunOfANativeTaskShowsTheAccountAndTheJobOperations() throws Exception {
    Path task = dir.resolve("task.json");
    Files.writeString(
        task,
        """
        {"taskId": "web", "command": {"shell": "web.exe --port 8080"},
         "resources": {"millicpus": 2000, "memoryBytes": 536870912}}
        """);

    int code =
        run(
            "--config",
            agentConfig("http://127.0.0.1:1").toString(),
            "--dry-run",
            task.toString(),
            "--processors",
            "8");

    assertThat(code).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("# user 'nobody': runs as the agent's own account (windows.agentAccountAliases)")
        .contains("CreateJobObjectW(name=strata-web-000000000000)")
        .contains("JobMemoryLimit=536870912")
        .contains("CpuRate=2500")
        .contains("cmd.exe /d /s /c \"web.exe --port 8080\"");
  }

  @Test
  void dryRunOfAContainerShowsTheContainer() throws Exception {
    Path task = dir.resolve("task.json");
    Files.writeString(
        task,
        """
        {"taskId": "iis", "container": {"image": "mcr.microsoft.com/windows/servercore/iis",
         "isolation": "HYPERV"}, "resources": {"millicpus": 1000, "memoryBytes": 1073741824}}
        """);

    assertThat(
            run(
                "--config",
                agentConfig("http://127.0.0.1:1").toString(),
                "--dry-run",
                task.toString(),
                "--processors",
                "8"))
        .isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("image: mcr.microsoft.com/windows/servercore/iis")
        .contains("isolation: hyperv")
        .contains("nanoCpus: 1000000000")
        .contains("networkMode: none");
  }

  @Test
  void registersAsWindowsWithItsCapabilities() {
    AgentInfo info =
        WindowsAgentInfo.of(
            "win-1",
            "amd64",
            new WindowsResources.Host(16, 32L << 30, 200L << 30, 100L << 30),
            2L << 30,
            0,
            PortRanges.range(31000, 32000),
            true,
            Map.of("zone", "eu-1"),
            "1.0");
    assertThat(info.os()).isEqualTo(Os.WINDOWS);
    assertThat(info.capabilities())
        .containsExactlyInAnyOrder(Capabilities.JOB_OBJECTS, Capabilities.WINDOWS_CONTAINERS);
    assertThat(info.resources().total())
        .isEqualTo(new Resources(16_000, 30L << 30, 100L << 30, 0, PortRanges.range(31000, 32000)));
    AgentInfo noEngine =
        WindowsAgentInfo.of(
            "win-1",
            "amd64",
            new WindowsResources.Host(16, 32L << 30, 200L << 30, 100L << 30),
            2L << 30,
            0,
            PortRanges.EMPTY,
            false,
            Map.of(),
            "1.0");
    assertThat(noEngine.capabilities()).containsExactly(Capabilities.JOB_OBJECTS);
  }
}
