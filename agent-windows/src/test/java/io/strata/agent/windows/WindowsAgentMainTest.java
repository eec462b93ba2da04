package io.strata.agent.windows;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.api.AgentInfo;
import io.strata.api.Capabilities;
import io.strata.api.Os;
import io.strata.api.PortRanges;
import io.strata.api.Resources;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
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
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("expected info or plan");
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
