package io.strata.agent.windows.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.api.json.Codec;
import io.strata.api.json.ValidationException;
import io.strata.api.json.Violation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileTest {
  static final Path TEMPLATE = Path.of("..", "terraform", "templates", "windows-agent.ps1.tftpl");
  @TempDir Path dir;

  List<String> violations(Path file) {
    try {
      ConfigFile.read(file);
    } catch (ValidationException e) {
      return e.violations().stream().map(Violation::toString).toList();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError(file + " was accepted");
  }

  @Test
  void theAgentFormGetsAgentCoresDefaultsAndWindowsOwn() throws Exception {
    Path file = dir.resolve("agent.yaml");
    Files.writeString(
        file, "agent: {workDir: " + dir + ", allocator: 'http://127.0.0.1:1', joinToken: t}\n");

    ConfigFile.Loaded loaded = ConfigFile.read(file);

    assertThat(loaded.form()).isEqualTo(ConfigFile.Form.AGENT);
    assertThat(loaded.trust()).isEmpty();
    WindowsAgentConfig c = loaded.config();
    assertThat(c.agent().reserved()).isEqualTo("cpus:0;mem:1024");
    assertThat(c.agent().defaultUser()).isEqualTo("nobody");
    assertThat(c.agent().listen()).isEqualTo("0.0.0.0:5051");
    assertThat(c.windows().agentAccountAliases()).containsExactly("nobody");
    assertThat(c.docker().mode()).isEqualTo(WindowsAgentConfig.Docker.Mode.AUTO);
    assertThat(c.docker().host()).isEqualTo("npipe:////./pipe/docker_engine");
  }

  @Test
  void theAgentFormKeepsWhatTheOperatorSays() throws Exception {
    Path file = dir.resolve("agent.json");
    Files.writeString(
        file,
        """
        {"agent": {"workDir": "w", "allocator": "https://10.0.0.2:5050", "joinToken": "t",
                   "reserved": "cpus:1;mem:2048", "defaultUser": "StrataAgent"},
         "windows": {"agentAccountAliases": []},
         "docker": {"mode": "OFF", "host": "tcp://127.0.0.1:2375"}}
        """);

    WindowsAgentConfig c = ConfigFile.read(file).config();

    assertThat(c.agent().reserved()).isEqualTo("cpus:1;mem:2048");
    assertThat(c.agent().defaultUser()).isEqualTo("StrataAgent");
    assertThat(c.windows().agentAccountAliases()).isEmpty();
    assertThat(c.docker())
        .isEqualTo(
            new WindowsAgentConfig.Docker(
                WindowsAgentConfig.Docker.Mode.OFF, "tcp://127.0.0.1:2375"));
  }

  @Test
  void everyMistakeOfTheAgentFormIsReportedWithItsPath() throws Exception {
    Path file = dir.resolve("agent.yaml");
    Files.writeString(
        file,
        """
        agent:
          workDir: w
          allocator: ftp://x
          joinToken: t
          colour: blue
        windows:
          agentAccountAliases: [nobody, " "]
        docker:
          mode: sometimes
          host: http://docker
        """);

    assertThat(violations(file))
        .anyMatch(v -> v.startsWith("agent.colour: unknown field"))
        .anyMatch(
            v ->
                v.startsWith("agent.allocator: allocator URL")
                    && v.contains("must start with http:// or https://"))
        .anyMatch(v -> v.startsWith("windows.agentAccountAliases[1]: must not be blank"))
        .anyMatch(v -> v.startsWith("docker.mode: must be one of [auto, on, off]"));
  }

  @Test
  void aBadDockerHostIsReportedWithItsPath() throws Exception {
    Path file = dir.resolve("agent.yaml");
    Files.writeString(
        file,
        "agent: {workDir: w, allocator: 'http://a:1', joinToken: t}\n"
            + "docker: {host: 'http://docker'}\n");
    assertThat(violations(file))
        .containsExactly(
            "docker.host: must be npipe:////./pipe/NAME, tcp://host:port or unix:///path (was"
                + " 'http://docker')");
  }

  /** The agent.json the Windows bootstrap template writes, rendered, with its files under dir. */
  Path renderedTemplate(Map<String, String> values) throws Exception {
    String script = Files.readString(TEMPLATE);
    Matcher m =
        Pattern.compile("\\$AgentConfig = @'\\r?\\n(.*?)\\r?\\n'@", Pattern.DOTALL).matcher(script);
    assertThat(m.find()).as("the template's $AgentConfig here-string").isTrue();
    String json = m.group(1);
    for (var v : values.entrySet()) {
      json = json.replace("${jsonencode(" + v.getKey() + ")}", v.getValue());
    }
    assertThat(json).doesNotContain("${");
    String root = Codec.JSON.encode(dir.toString() + java.io.File.separator);
    json = json.replace("\"C:\\\\ProgramData\\\\Strata\\\\", root.substring(0, root.length() - 1));
    assertThat(json).doesNotContain("ProgramData");
    Path file = dir.resolve("agent.json");
    Files.writeString(file, json);
    return file;
  }

  static final Map<String, String> TEMPLATE_VALUES =
      Map.of(
          "cluster_name", "\"prod\"",
          "pool_name", "\"win\"",
          "allocator_url", "\"https://10.40.0.4:5050\"",
          "attributes", "{\"zone\":\"2\"}");

  @Test
  void readsExactlyTheFileTheWindowsTemplateWrites() throws Exception {
    Path file = renderedTemplate(TEMPLATE_VALUES);
    // The template writes the token as UTF-8 without BOM; a BOM or a final newline is forgiven.
    Files.writeString(dir.resolve("join-token"), "\uFEFFjoin-0123456789abcdef0123456789abcdef\r\n");
    Files.copy(TestCertificates.make(dir, "ca").pem, dir.resolve("ca.pem"));

    ConfigFile.Loaded loaded = ConfigFile.read(file);

    assertThat(loaded.form()).isEqualTo(ConfigFile.Form.BOOTSTRAP);
    assertThat(loaded.trust()).isPresent();
    var agent = loaded.config().agent();
    assertThat(agent.allocator()).isEqualTo("https://10.40.0.4:5050");
    assertThat(agent.joinToken()).isEqualTo("join-0123456789abcdef0123456789abcdef");
    assertThat(Path.of(agent.workDir())).isEqualTo(dir.resolve("work"));
    assertThat(agent.attributes()).isEqualTo(Map.of("zone", "2", "cluster", "prod", "pool", "win"));
    assertThat(agent.reserved()).isEqualTo(WindowsAgentConfig.DEFAULT_RESERVED);
    // The agent's client trusts exactly this CA (agent-core builds its TLS context from it).
    assertThat(Path.of(agent.caFile())).isEqualTo(dir.resolve("ca.pem"));
    assertThat(agent.listen()).isEqualTo("0.0.0.0:5051");
    assertThat(loaded.config().windows().agentAccountAliases()).containsExactly("nobody");
    assertThat(loaded.config().docker().mode()).isEqualTo(WindowsAgentConfig.Docker.Mode.AUTO);
  }

  @Test
  void unreadableTokenAndCaFilesAreReportedUnderTheirFields() throws Exception {
    Path file = renderedTemplate(TEMPLATE_VALUES);
    Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\nnope\n");

    assertThat(violations(file))
        .anyMatch(v -> v.startsWith("joinTokenFile: cannot read ") && v.endsWith(": no such file"))
        .anyMatch(v -> v.startsWith("caFile: ") && v.contains("PEM certificate"));

    Files.writeString(dir.resolve("join-token"), "  \n");
    assertThat(violations(file))
        .anyMatch(v -> v.startsWith("joinTokenFile: ") && v.endsWith(" is empty"));
  }

  @Test
  void theBootstrapFormIsStrictAndKeepsClusterAndPoolTheirOwn() throws Exception {
    Path file = dir.resolve("agent.json");
    Files.writeString(
        file,
        """
        {"cluster": "prod", "pool": "win", "allocatorUrl": "tcp://x", "joinTokenFile": "t",
         "workDir": "w", "attributes": {"pool": "linux"}, "colour": "blue"}
        """);

    assertThat(violations(file))
        .contains("colour: unknown field")
        .anyMatch(
            v ->
                v.startsWith("allocatorUrl: allocator URL 'tcp://x'")
                    && v.contains("must start with http:// or https://"))
        .anyMatch(v -> v.startsWith("attributes.pool: is 'linux' but the agent reports its pool"));
  }

  @Test
  void aBootstrapFileWithoutItsUrlSaysSo() throws Exception {
    Path file = dir.resolve("agent.json");
    Files.writeString(
        file,
        "{\"cluster\": \"prod\", \"pool\": \"win\", \"joinTokenFile\": \"t\", \"workDir\": \"w\"}");
    assertThat(violations(file)).containsExactly("allocatorUrl: is required");
  }

  @Test
  void aFileOfNeitherFormSaysWhatWasExpected() throws Exception {
    Path file = dir.resolve("agent.yaml");
    Files.writeString(file, "allocator: http://x\n");
    assertThat(violations(file)).singleElement().asString().contains("expected the agent config");
    Files.writeString(file, "agent: [\n");
    assertThatThrownBy(() -> ConfigFile.read(file)).isInstanceOf(ValidationException.class);
  }
}
