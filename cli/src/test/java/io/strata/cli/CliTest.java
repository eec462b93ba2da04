package io.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.cli.output.ExitCodes;
import io.strata.testkit.Loopback;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line without a cluster: usage, bad specs, exit codes, help, completion. */
class CliTest {
  @TempDir Path tmp;

  Map<String, String> env() {
    return Map.of(
        "STRATA_DATA_DIR", tmp.resolve("data").toString(),
        "STRATA_CONFIG", tmp.resolve("none.yaml").toString(),
        "STRATA_URL", "http://127.0.0.1:" + Loopback.freePort());
  }

  Path file(String name, String text) throws IOException {
    Path f = tmp.resolve(name);
    Files.writeString(f, text);
    return f;
  }

  @Test
  void badSpecsExitTwoWithTheFieldPathAndNoStackTrace() throws IOException {
    Path missing = file("missing.yaml", "kind: service\nid: web\ninstances: 2\n");
    Path negative =
        file(
            "negative.yaml",
            "kind: service\nid: web\ncommand: x\nresources: {cpus: -1, mem: 64Mi}\n");
    Path operator =
        file(
            "operator.yaml",
            "kind: job\nid: j\ncommand: x\nresources: {mem: 8Mi}\nconstraints: [{attribute: zone, operator: NEAR, value: a}]\n");
    Path syntax = file("syntax.yaml", "kind: service\nid: [web\ncommand: x\n");
    Cli.Result r =
        Cli.run(
            env(),
            "run",
            "-f",
            missing.toString(),
            "-f",
            negative.toString(),
            "-f",
            operator.toString(),
            "-f",
            syntax.toString());
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err())
        .contains("missing.yaml is invalid:")
        .contains("  resources: is required")
        .contains("  command: is required")
        .contains("negative.yaml is invalid:")
        .contains("  resources.cpus: '-1' must not be negative")
        .contains("operator.yaml is invalid:")
        .contains(
            "  constraints[0].operator: must be one of [EQUALS, LIKE, UNLIKE, UNIQUE, GROUP_BY, MAX_PER] (was 'NEAR')")
        .contains("syntax.yaml is invalid:")
        .contains("YAML syntax error")
        .doesNotContain("Exception")
        .doesNotContain("\tat ");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void aValidSpecPassesACheckWithoutACluster() throws IOException {
    Path ok =
        file("ok.yaml", "kind: service\nid: web\ncommand: x\nresources: {cpus: 0.1, mem: 32Mi}\n");
    Cli.Result r = Cli.run(env(), "run", "--check", "-f", ok.toString());
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).contains("service web: valid");
  }

  @Test
  void aDryRunNeedsTheClusterAndItsDetailedExitCodeIsOneOnAnyError() throws IOException {
    Path ok =
        file("ok.yaml", "kind: service\nid: web\ncommand: x\nresources: {cpus: 0.1, mem: 32Mi}\n");
    Path bad = file("bad.yaml", "kind: service\nid: web\n");
    Cli.Result unreachable = Cli.run(env(), "run", "--dry-run", "-f", ok.toString());
    assertThat(unreachable.code()).as(unreachable.toString()).isEqualTo(ExitCodes.UNREACHABLE);
    Cli.Result detailed =
        Cli.run(env(), "run", "--dry-run", "--detailed-exitcode", "-f", ok.toString());
    assertThat(detailed.code()).as(detailed.toString()).isEqualTo(ExitCodes.FAILURE);
    assertThat(detailed.err()).contains("cannot reach the allocator");
    Cli.Result invalid =
        Cli.run(env(), "run", "--dry-run", "-detailed-exitcode", "-f", bad.toString());
    assertThat(invalid.code()).as(invalid.toString()).isEqualTo(ExitCodes.FAILURE);
    assertThat(invalid.err()).contains("bad.yaml is invalid:");
    Cli.Result alone = Cli.run(env(), "run", "--detailed-exitcode", "-f", ok.toString());
    assertThat(alone.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(alone.err()).contains("--detailed-exitcode goes with --dry-run");
  }

  @Test
  void usageErrorsExitTwo() {
    Cli.Result unknown = Cli.run(env(), "apps", "--frobnicate");
    assertThat(unknown.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(unknown.err())
        .contains("Unknown option: '--frobnicate'")
        .contains("strata apps --help");
    assertThat(Cli.run(env(), "scale", "web").code()).isEqualTo(ExitCodes.USAGE);
    assertThat(Cli.run(env(), "scale", "web", "many").code()).isEqualTo(ExitCodes.USAGE);
    assertThat(Cli.run(env(), "run").code()).isEqualTo(ExitCodes.USAGE);
    assertThat(Cli.run(env(), "ps", "-o", "xml").code()).isEqualTo(ExitCodes.USAGE);
    assertThat(Cli.run(env(), "run", "-f", tmp.resolve("nope.yaml").toString()).err())
        .contains("no such file");
  }

  @Test
  void anUnreachableAllocatorExitsFour() {
    Cli.Result r = Cli.run(env(), "apps");
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(r.err())
        .contains("cannot reach the allocator")
        .contains("strata up")
        .doesNotContain("\tat ");
  }

  @Test
  void helpShowsExamplesAndExitCodes() {
    Cli.Result root = Cli.run(env(), "--help");
    assertThat(root.code()).isZero();
    assertThat(root.out())
        .contains("Commands:")
        .contains("up")
        .contains("why")
        .contains("Examples:")
        .contains("Exit codes: 0 ok, 1 failed, 2 bad input or usage, 3 not found, 4 cannot reach");
    for (String command :
        new String[] {
          "up",
          "down",
          "run",
          "apps",
          "jobs",
          "ps",
          "nodes",
          "why",
          "logs",
          "kill",
          "scale",
          "start",
          "stop",
          "drain",
          "allocator",
          "frameworks"
        }) {
      Cli.Result help = Cli.run(env(), command, "--help");
      assertThat(help.code()).as(command).isZero();
      assertThat(help.out()).as(command).contains("Examples:");
    }
  }

  @Test
  void completionPrintsAScript() {
    Cli.Result r = Cli.run(env(), "completion");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("complete -F").contains("strata");
  }

  @Test
  void aBrokenConfigFileIsReportedWithItsFields() throws IOException {
    Path config = file("config.yaml", "url: http://127.0.0.1:1\ncolour: red\n");
    Cli.Result r =
        Cli.run(
            Map.of("STRATA_CONFIG", config.toString(), "STRATA_DATA_DIR", tmp.toString()), "apps");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("colour: unknown field");
  }

  @Test
  void everyFailureStartsWithTheSamePrefix() throws IOException {
    Path bad = file("bad.yaml", "kind: servce\nid: a\n");
    Cli.Result[] failures = {
      Cli.run(env(), "run", "-f", bad.toString()),
      Cli.run(env(), "ps", "--no-such-flag"),
      Cli.run(env(), "ps"),
      Cli.run(env(), "context", "use", "nope"),
      Cli.run(env(), "up", "--cpus", "lots"),
      Cli.run(env(), "provision", "plan", tmp.resolve("missing-cluster.yaml").toString())
    };
    for (Cli.Result r : failures) {
      assertThat(r.code()).as(r.toString()).isNotZero();
      assertThat(r.err()).as(r.toString()).startsWith("strata: error: ");
      assertThat(r.err().lines().skip(1))
          .as(r.toString())
          .allMatch(line -> line.startsWith("  ") || line.startsWith("strata: error: "));
    }
  }

  @Test
  void haWithPortsItCannotHaveIsRefusedBeforeAnythingStarts() {
    Path data = tmp.resolve("ha-refused");
    Cli.Result tooHigh =
        Cli.run(env(), "up", "--ha", "--port", "65000", "--data-dir", data.toString());

    assertThat(tooHigh.code()).as(tooHigh.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(tooHigh.err())
        .contains("--ha with --port 65000")
        .contains("ephemeral port range")
        .contains("choose --port below");
    assertThat(data).doesNotExist();
  }

  @Test
  void downAnswersInJsonAndStopsNeitherItselfNorItsParent() throws Exception {
    Path data = tmp.resolve("data");
    Files.createDirectories(data);
    String java = ProcessHandle.current().info().command().orElse("java");
    Process down =
        new ProcessBuilder(
                "timeout",
                "60",
                java,
                "-cp",
                System.getProperty("java.class.path"),
                "io.strata.cli.Main",
                "down",
                "--data-dir",
                data.toString(),
                "-o",
                "json")
            .directory(data.toFile())
            .redirectErrorStream(true)
            .start();
    String out = new String(down.getInputStream().readAllBytes());
    assertThat(down.waitFor()).as(out).isZero();
    assertThat(out).contains("\"processesStopped\" : 0").contains("\"cgroupsLeft\" : [ ]");
  }
}
