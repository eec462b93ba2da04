package io.strata.provisioner.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.management.AzureEnvironment;
import io.strata.fakes.azure.FakeArm;
import io.strata.provisioner.apply.AgentRoster;
import io.strata.provisioner.apply.ApplyOptions;
import io.strata.provisioner.cloud.CloudGate;
import io.strata.provisioner.cloud.CloudProvider;
import io.strata.provisioner.contract.CloudFixture;
import io.strata.provisioner.core.Topology;
import io.strata.provisioner.providers.azure.AzureFixture;
import io.strata.provisioner.providers.azure.AzureProvider;
import io.strata.provisioner.providers.openstack.OpenStackFixture;
import io.strata.provisioner.providers.openstack.OpenStackProvider;
import io.strata.provisioner.spec.ClusterSpec;
import io.strata.provisioner.spec.Secrets;
import io.strata.testkit.Loopback;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A cloud that cannot be reached (here: a closed port on 127.0.0.1) fails the apply at once: one
 * error line naming the URL, exit code 2, in seconds rather than minutes of retries, and no SDK
 * noise in between.
 */
class UnreachableCloudTest {
  private static final Duration BOUND = Duration.ofSeconds(15);
  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private record Outcome(int code, Duration took) {}

  /**
   * Loads the SDKs (Azure's with netty and reactor, openstack4j) by one successful call to each
   * fake, so that the bound measures the failure, not class loading on a busy machine.
   */
  @BeforeAll
  static void warmUp() {
    try (AzureFixture azure = new AzureFixture();
        OpenStackFixture os = new OpenStackFixture()) {
      for (CloudFixture fixture : new CloudFixture[] {azure, os}) {
        ClusterSpec spec = fixture.spec("warm", 1, 0);
        try (CloudProvider p =
            fixture.provider(spec, CloudGate.standard(2, CloudGate.RateLimit.UNLIMITED, 1))) {
          assertThat(p.preflight(Topology.machines(spec))).isEmpty();
        }
      }
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    // And azure-identity with MSAL: one sign-in attempt against a closed port.
    ClusterSpec spec = ClusterSpec.parse(AzureFixture.yaml("warm", 1, 0));
    CloudGate warmGate = CloudGate.standard(2, CloudGate.RateLimit.UNLIMITED, 1);
    try (CloudProvider p =
        new AzureProvider(
            spec,
            AzureProvider.connect(
                spec, AzureFixture.SECRETS, closed(Loopback.freePort()), null, warmGate),
            warmGate,
            AzureFixture.SECRETS,
            Duration.ofMillis(10))) {
      p.preflight(Topology.machines(spec));
    } catch (RuntimeException expected) {
      // Unreachable, as it should be; the classes are loaded now.
    }
  }

  private Outcome apply(ProviderFactory providers, Secrets secrets, String yaml) throws Exception {
    Path spec = dir.resolve("cluster.yaml");
    Files.writeString(spec, yaml);
    ProvisionCommand command =
        new ProvisionCommand(
                providers,
                (url, token) -> AgentRoster.of(null),
                secrets,
                ApplyOptions.defaults(),
                null)
            .withStreams(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    Instant start = Instant.now();
    int code =
        new CommandLine(command)
            .execute(
                "apply",
                "-f",
                spec.toString(),
                "--auto-approve",
                "--state-dir",
                dir.resolve("state").toString());
    return new Outcome(code, Duration.between(start, Instant.now()));
  }

  private static String openstackYaml(String name, String authUrl) {
    return """
            name: %s
            cloud: openstack
            location: RegionOne
            artifactUrl: https://downloads.example.invalid/strata-0.1.0.tar.gz
            openstack:
              authUrl: %s
              userName: strata
              projectName: strata
              password: {env: OS_PASSWORD}
              externalNetwork: public
            allocator: {count: 1, size: m1.medium, image: ubuntu-24.04}
            pools: [{name: linux, os: linux, count: 1, size: m1.large, image: ubuntu-24.04}]
            access: {sshPublicKey: {env: STRATA_SSH_KEY}}
            """
        .formatted(name, authUrl);
  }

  private String errorLines() {
    return err.toString(StandardCharsets.UTF_8)
        .lines()
        .filter(l -> l.startsWith("strata: error: "))
        .reduce("", (a, b) -> a + b + "\n");
  }

  private static AzureEnvironment closed(int port) {
    Map<String, String> endpoints = new HashMap<>();
    AzureEnvironment.AZURE
        .getEndpoints()
        .keySet()
        .forEach(k -> endpoints.put(k, "https://127.0.0.1:" + port + "/"));
    return new AzureEnvironment(endpoints);
  }

  @Test
  void azureResourceManagerUnreachable() throws Exception {
    int port = Loopback.freePort();
    Outcome o =
        apply(
            (spec, gate, secrets) ->
                new AzureProvider(
                    spec,
                    AzureProvider.connect(
                        spec,
                        secrets,
                        closed(port),
                        FakeArm.credential(),
                        gate,
                        FakeArm.loopbackPolicy()),
                    gate,
                    secrets,
                    Duration.ofMillis(10)),
            AzureFixture.SECRETS,
            AzureFixture.yaml("gone", 1, 0));
    assertThat(o.code()).as(err.toString(StandardCharsets.UTF_8)).isEqualTo(2);
    assertThat(o.took()).isLessThan(BOUND);
    assertThat(errorLines())
        .startsWith(
            "strata: error: cannot reach Azure Resource Manager at https://127.0.0.1:" + port)
        .contains("Connection refused")
        .hasLineCount(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).doesNotContain("Exception\n\tat");
    assertThat(dir.resolve("state").resolve("gone.json")).doesNotExist();
  }

  @Test
  void azureSignInUnreachable() throws Exception {
    int port = Loopback.freePort();
    Outcome o =
        apply(
            (spec, gate, secrets) ->
                new AzureProvider(
                    spec,
                    AzureProvider.connect(spec, secrets, closed(port), null, gate),
                    gate,
                    secrets,
                    Duration.ofMillis(10)),
            AzureFixture.SECRETS,
            AzureFixture.yaml("nosignin", 1, 0));
    assertThat(o.code()).as(err.toString(StandardCharsets.UTF_8)).isEqualTo(2);
    assertThat(o.took()).isLessThan(BOUND);
    assertThat(errorLines())
        .startsWith("strata: error: cannot reach Azure sign-in at https://127.0.0.1:" + port)
        .hasLineCount(1);
  }

  @Test
  void openStackKeystoneUnreachable() throws Exception {
    int port = Loopback.freePort();
    String authUrl = "http://127.0.0.1:" + port + "/v3";
    Outcome o =
        apply(
            (spec, gate, secrets) ->
                new OpenStackProvider(spec, gate, secrets, Duration.ofMillis(10)),
            new Secrets(
                Map.of(
                    "OS_PASSWORD", "s3cret",
                    "STRATA_SSH_KEY", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAITest strata@test")),
            openstackYaml("osgone", authUrl));
    assertThat(o.code()).as(err.toString(StandardCharsets.UTF_8)).isEqualTo(2);
    assertThat(o.took()).isLessThan(BOUND);
    assertThat(errorLines())
        .startsWith("strata: error: cannot reach OpenStack Keystone at " + authUrl + ": ")
        .hasLineCount(1);
  }

  @Test
  void aWrongPasswordIsRefusedBeforeAnythingIsCreated() throws Exception {
    try (OpenStackFixture os = new OpenStackFixture()) {
      String yaml = openstackYaml("badpass", os.os.authUrl());
      Outcome o =
          apply(
              (spec, gate, secrets) ->
                  new OpenStackProvider(spec, gate, secrets, Duration.ofMillis(10)),
              new Secrets(
                  Map.of(
                      "OS_PASSWORD", "wrong",
                      "STRATA_SSH_KEY", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAITest strata@test",
                      "STRATA_WIN_PASSWORD", "Test-Passw0rd!")),
              yaml);
      assertThat(o.code()).as(err.toString(StandardCharsets.UTF_8)).isEqualTo(2);
      assertThat(errorLines())
          .startsWith("strata: error: Keystone at " + os.os.authUrl() + ": ")
          .hasLineCount(1);
      assertThat(os.tagged("badpass")).isEmpty();
    }
  }
}
