package io.strata.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.agent.linux.LinuxAgentMain;
import io.strata.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent is started with its own JVM flags, wherever it is started from. */
class AgentLaunchTest {
  @Test
  void binStrataStartsTheAgentWithTheAgentsFlags() throws IOException {
    String script = Files.readString(Path.of("..", "bin", "strata"));
    String line =
        script
            .lines()
            .filter(l -> l.startsWith("agent_flags=("))
            .findFirst()
            .orElseThrow(() -> new AssertionError("bin/strata has no agent_flags=(...) line"));
    List<String> flags =
        Arrays.asList(
            line.substring("agent_flags=(".length(), line.lastIndexOf(')')).trim().split("\\s+"));
    assertThat(flags).isEqualTo(LinuxAgentMain.JVM_FLAGS);
  }

  @Test
  void strataUpStartsItsAgentsWithTheAgentsFlags() {
    assertThat(UpCommand.agentTemplate().argv()).containsSequence(LinuxAgentMain.JVM_FLAGS);
  }

  @Test
  void theAgentsJarAloneIsItsClasspathOnlyWhenItsDependenciesAreBesideIt(@TempDir Path dir)
      throws IOException {
    Path jar = dir.resolve("strata-agent-linux-1.jar");
    java.util.jar.Manifest manifest = new java.util.jar.Manifest();
    manifest.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(java.util.jar.Attributes.Name.CLASS_PATH, "dep-1.jar");
    try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar), manifest)) {
      out.flush();
    }
    String full = "/elsewhere/other.jar" + java.io.File.pathSeparator + jar;

    assertThat(UpCommand.agentClasspath(full)).isEqualTo(full);
    Files.writeString(dir.resolve("dep-1.jar"), "");
    assertThat(UpCommand.agentClasspath(full)).isEqualTo(jar.toString());
  }

  @Test
  void strataAgentAloneKnowsOnlyTheAgentCommand() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Main.run(
            new String[] {"agent", "--help"},
            new PrintWriter(out, true),
            new PrintWriter(err, true));
    assertThat(code).isZero();
    assertThat(out.toString()).contains("strata agent").contains("--join-token-file");
  }
}
