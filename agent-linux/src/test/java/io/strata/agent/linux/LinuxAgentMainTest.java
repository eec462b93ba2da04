package io.strata.agent.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinuxAgentMainTest {
  @TempDir Path dir;
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  int run(String... args) {
    return LinuxAgentMain.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void aBadConfigIsRefusedWithEveryFieldPathAndNoStackTrace() throws Exception {
    Path config = dir.resolve("agent.yaml");
    Files.writeString(
        config,
        """
        agent:
          workDir: /tmp/x
          allocator: http://127.0.0.1:1
          joinToken: t
          reserved: "cpus:lots"
          colour: blue
        linux:
          cgroups: v3
          defaultPidsLimit: -1
        docker:
          host: http://docker
        """);

    assertThat(run("--config", config.toString())).isEqualTo(2);

    String text = err.toString(StandardCharsets.UTF_8);
    assertThat(text)
        .contains("agent.colour: unknown field")
        .contains("linux.cgroups: must be one of [auto, v1, v2]")
        .doesNotContain("Exception")
        .doesNotContain("\tat ");
  }

  @Test
  void aBadTaskUidRangeIsRefusedWithItsFieldPath() throws Exception {
    for (String range : new String[] {"10-20", "20000-10000", "lots", "0-99999"}) {
      Path config = dir.resolve("agent.yaml");
      Files.writeString(
          config,
          """
          agent:
            workDir: /tmp/x
            allocator: http://127.0.0.1:1
            joinToken: t
          linux:
            taskUids: "%s"
          """
              .formatted(range));
      err.reset();

      assertThat(run("--config", config.toString(), "--check")).as(range).isEqualTo(2);

      assertThat(err.toString(StandardCharsets.UTF_8))
          .as(range)
          .contains("linux.taskUids: must be FIRST-LAST")
          .doesNotContain("\tat ");
    }
  }

  @Test
  void theTaskUidRangeFlagReachesTheConfig() throws Exception {
    Path token = Files.writeString(dir.resolve("join.token"), "t\n");
    Path work = dir.resolve("work");
    int code =
        run(
            "--allocator",
            "http://127.0.0.1:1",
            "--join-token-file",
            token.toString(),
            "--work-dir",
            work.toString(),
            "--docker",
            "off",
            "--task-uid-range",
            "20000-20999",
            "--check");
    assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(Files.readString(work.resolve("agent.yaml")))
        .contains("taskUids")
        .contains("20000-20999");
    LinuxAgentConfig.Linux defaults = new LinuxAgentConfig.Linux(null, null, null);
    assertThat(defaults.taskUidRange()).contains(io.strata.agent.linux.users.UidRange.DEFAULT);
    assertThat(new LinuxAgentConfig.Linux(null, null, null, "off").taskUidRange()).isEmpty();
  }

  @Test
  void theFlagFormIsWrittenAsAPrivateConfigFile() throws Exception {
    Path token = Files.writeString(dir.resolve("join.token"), "secret-token\n");
    Path work = dir.resolve("work");

    int code =
        run(
            "--allocator",
            "http://127.0.0.1:1",
            "--join-token-file",
            token.toString(),
            "--work-dir",
            work.toString(),
            "--attribute",
            "zone=a",
            "--cgroup-parent",
            "strata-x",
            "--docker",
            "off",
            "--check");

    assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
    Path config = work.resolve("agent.yaml");
    assertThat(Files.readString(config))
        .contains("secret-token")
        .contains("zone")
        .contains("strata-x")
        .doesNotContain("\n\n\n");
    assertThat(Files.getPosixFilePermissions(config))
        .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
  }

  @Test
  void badFlagsAreUsageErrorsThatSayWhy() {
    assertThat(run("--allocator")).isEqualTo(2);
    assertThat(run("--work-dir", dir.toString())).isEqualTo(2);
    assertThat(run("--allocator", "u", "--attribute", "no-value")).isEqualTo(2);
    assertThat(run("--config", "a.yaml", "--allocator", "u")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("--allocator needs a value")
        .contains("pass --config FILE, or --allocator, --join-token-file and --work-dir")
        .contains("--attribute needs KEY=VALUE")
        .contains("not both")
        .doesNotContain("Exception");
  }

  @Test
  void aMissingConfigAndUnknownArgumentsAreUsageErrors() {
    assertThat(run("--config", dir.resolve("none.yaml").toString())).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("none.yaml: no such file");
    assertThat(run("--frobnicate")).isEqualTo(2);
    assertThat(run()).isEqualTo(2);
  }

  @Test
  void dryRunPrintsTheDockerContainerWithoutTouchingAnything() throws Exception {
    Path config = dir.resolve("agent.yaml");
    Files.writeString(
        config, "agent: {workDir: " + dir + ", allocator: 'http://127.0.0.1:1', joinToken: t}\n");
    Path task = dir.resolve("task.json");
    Files.writeString(
        task,
        """
        {"taskId":"web","container":{"image":"nginx:1","network":"HOST"},
         "resources":{"millicpus":500,"memoryBytes":134217728},"cpuLimitMillicpus":1000}
        """);

    assertThat(run("--config", config.toString(), "--dry-run", task.toString())).isEqualTo(0);

    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("image: nginx:1")
        .contains("memoryBytes: 134217728")
        .contains("nanoCpus: 1000000000")
        .contains("networkMode: host")
        .contains("user: nobody");
  }

  /** The agent.json terraform/templates/linux-agent.cloud-init.yaml.tftpl writes, paths local. */
  private Path bootstrapConfig(String allocatorUrl, String joinTokenFile, String caFile)
      throws Exception {
    return Files.writeString(
        dir.resolve("agent.json"),
        """
        {
          "cluster": "prod",
          "pool": "linux",
          "allocatorUrl": "%s",
          "caFile": %s,
          "joinTokenFile": "%s",
          "workDir": "work",
          "attributes": {"zone":"eu-1"}
        }
        """
            .formatted(allocatorUrl, caFile == null ? "null" : '"' + caFile + '"', joinTokenFile));
  }

  @Test
  void theTemplatesAgentJsonIsAcceptedWithItsTokenFileReadAndPathsResolved() throws Exception {
    Files.writeString(dir.resolve("join-token"), "join-token-0123456789\n");
    Path config = bootstrapConfig("https://10.0.0.4:5050", "join-token", null);

    assertThat(run("--config", config.toString(), "--check")).isEqualTo(0);
    LinuxAgentConfig c = LinuxAgentMain.readConfig(config);
    assertThat(c.agent().allocator()).isEqualTo("https://10.0.0.4:5050");
    assertThat(c.agent().joinToken()).isEqualTo("join-token-0123456789");
    assertThat(c.agent().workDir()).isEqualTo(dir.resolve("work").toString());
    assertThat(c.agent().attributes())
        .containsEntry("cluster", "prod")
        .containsEntry("pool", "linux")
        .containsEntry("zone", "eu-1");
    assertThat(c.agent().caFile()).isNull();
    assertThat(c.docker().mode()).isEqualTo(LinuxAgentConfig.Docker.Mode.AUTO);
  }

  @Test
  void theBootstrapFormIsAcceptedInYamlToo() throws Exception {
    Files.writeString(dir.resolve("join-token"), "join-token-0123456789\n");
    Path config =
        Files.writeString(
            dir.resolve("agent.yaml"),
            """
            cluster: prod
            pool: linux
            allocatorUrl: https://10.0.0.4:5050
            joinTokenFile: join-token
            workDir: work
            """);

    LinuxAgentConfig c = LinuxAgentMain.readConfig(config);
    assertThat(c.agent().joinToken()).isEqualTo("join-token-0123456789");
    assertThat(c.agent().attributes()).containsEntry("pool", "linux");
  }

  @Test
  void aBootstrapConfigWithUnreadableFilesIsRefusedWithTheirFields() throws Exception {
    Files.writeString(dir.resolve("not-a-cert.pem"), "hello");
    Path config = bootstrapConfig("ftp://x", "missing-token", "not-a-cert.pem");

    assertThat(run("--config", config.toString(), "--check")).isEqualTo(2);

    String text = err.toString(StandardCharsets.UTF_8);
    assertThat(text)
        .contains("allocatorUrl: allocator URL 'ftp://x' must start with http:// or https://")
        .doesNotContain("\tat ");
    err.reset();
    config = bootstrapConfig("https://10.0.0.4:5050", "missing-token", "not-a-cert.pem");
    assertThat(run("--config", config.toString(), "--check")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("joinTokenFile: cannot read " + dir.resolve("missing-token") + ": no such file")
        .contains("caFile: " + dir.resolve("not-a-cert.pem"))
        .doesNotContain("\tat ");
  }
}
