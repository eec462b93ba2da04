package io.strata.agent.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.agent.containerizer.ContainerId;
import io.strata.api.CommandInfo;
import io.strata.api.FrameworkId;
import io.strata.api.PortRanges;
import io.strata.api.Resources;
import io.strata.api.TaskId;
import io.strata.api.TaskInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskEnvironmentTest {
  static TaskInfo task(Map<String, String> env) {
    return new TaskInfo(
        TaskId.of("web.1"),
        null,
        CommandInfo.shell("true"),
        null,
        Resources.of(100, 32L << 20).withPorts(PortRanges.parse("[31005-31006]")),
        null,
        null,
        env,
        null,
        null,
        null,
        null);
  }

  @Test
  void aTaskIsToldItsIdsSandboxPortsAndTheAgentsJavaRuntime() {
    Map<String, String> env =
        TaskEnvironment.of(
            task(Map.of("GREETING", "hi")),
            FrameworkId.of("services"),
            ContainerId.of("web.1"),
            Path.of("/w/sandboxes/web.1"),
            "h1",
            "/opt/jdk");
    assertThat(env)
        .containsEntry("PORT0", "31005")
        .containsEntry("PORT1", "31006")
        .containsEntry("PORT", "31005")
        .containsEntry("PORTS", "31005,31006")
        .containsEntry("HOST", "h1")
        .containsEntry("GREETING", "hi")
        .containsEntry("STRATA_TASK_ID", "web.1")
        .containsEntry("STRATA_FRAMEWORK_ID", "services")
        .containsEntry("STRATA_SANDBOX", "/w/sandboxes/web.1")
        .containsEntry("STRATA_JAVA_HOME", "/opt/jdk");
  }

  @Test
  void theTaskCannotRedefineTheStrataVariablesButItsOwnOthersWin() {
    Map<String, String> env =
        TaskEnvironment.of(
            task(Map.of("STRATA_JAVA_HOME", "/mine", "PORT0", "1")),
            FrameworkId.of("services"),
            ContainerId.of("web.1"),
            Path.of("/s"),
            "h1",
            "/opt/jdk");
    assertThat(env).containsEntry("STRATA_JAVA_HOME", "/opt/jdk").containsEntry("PORT0", "1");
  }

  @Test
  void byDefaultItIsTheRuntimeTheAgentRunsOnWhichCanServeFiles() {
    Map<String, String> env =
        TaskEnvironment.of(
            task(Map.of()), FrameworkId.of("f"), ContainerId.of("web.1"), Path.of("/s"), "h1");
    Path home = Path.of(env.get("STRATA_JAVA_HOME"));
    assertThat(home).isEqualTo(Path.of(System.getProperty("java.home")));
    assertThat(home.resolve("bin/java")).isExecutable();
    // jdk.httpserver's file server (`java -m jdk.httpserver`, the example web service) is there.
    assertThat(ModuleLayer.boot().configuration().findModule("jdk.httpserver")).isPresent();
    assertThat(Files.isDirectory(home)).isTrue();
  }
}
