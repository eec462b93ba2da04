package io.strata.provisioner.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.fakes.azure.FakeArm;
import io.strata.fakes.openstack.FakeOpenStack;
import io.strata.provisioner.apply.AgentRoster;
import io.strata.provisioner.apply.ApplyOptions;
import io.strata.provisioner.cloud.CloudGate;
import io.strata.provisioner.cloud.CloudProvider;
import io.strata.provisioner.core.ClusterRecord;
import io.strata.provisioner.core.Plan;
import io.strata.provisioner.core.PlanResources;
import io.strata.provisioner.core.Planner;
import io.strata.provisioner.core.Step;
import io.strata.provisioner.core.Topology;
import io.strata.provisioner.providers.azure.AzureFixture;
import io.strata.provisioner.providers.azure.AzureProvider;
import io.strata.provisioner.providers.local.LocalFixture;
import io.strata.provisioner.providers.openstack.OpenStackProvider;
import io.strata.provisioner.spec.ClusterSpec;
import io.strata.provisioner.spec.Secrets;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The example cluster specs in {@code examples/clusters/} are valid as shipped: each is read by the
 * real spec loader, planned (every step lists its resources), planned by the command, and passes
 * the real provider's preflight (sizes, images, quota) against the fake cloud on 127.0.0.1, set up
 * with the sizes and images the example names.
 */
class ExampleClustersTest {
  static final Path EXAMPLES = Path.of("..", "examples", "clusters");
  static final Secrets SECRETS =
      new Secrets(
          Map.of(
              "AZURE_CLIENT_SECRET", "not-used-with-the-fake",
              "OS_PASSWORD", "s3cret",
              "STRATA_SSH_KEY", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAITest strata@test",
              "STRATA_WIN_PASSWORD", "Test-Passw0rd!"));

  @TempDir Path dir;

  private static String example(String name) throws Exception {
    return Files.readString(EXAMPLES.resolve(name + ".yaml"));
  }

  private static CloudGate gate() {
    return CloudGate.standard(4, CloudGate.RateLimit.UNLIMITED, 1);
  }

  /** Plans the example from nothing and checks every step names its resources. */
  private static Plan plan(ClusterSpec spec, int nodes) {
    Plan plan =
        Planner.apply(
            Topology.machines(spec), ClusterRecord.empty(spec.name(), spec.cloud().wire(), null));
    assertThat(plan.creates()).isEqualTo(nodes + 1);
    for (Step s : plan.steps()) {
      assertThat(PlanResources.of(spec, s)).as(s.describe()).isNotEmpty();
    }
    return plan;
  }

  /** {@code strata provision plan -f FILE -detailed-exitcode} on the file as shipped. */
  private int planCommand(String name, ByteArrayOutputStream out) {
    ProvisionCommand command =
        new ProvisionCommand(
                (spec, gate, secrets) -> {
                  throw new AssertionError("plan asks no cloud");
                },
                (url, token) -> AgentRoster.of(null),
                SECRETS,
                ApplyOptions.defaults(),
                null)
            .withStreams(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(out, true, StandardCharsets.UTF_8));
    return new CommandLine(command)
        .execute(
            "plan",
            "-f",
            EXAMPLES.resolve(name + ".yaml").toString(),
            "-detailed-exitcode",
            "--state-dir",
            dir.toString());
  }

  @Test
  void azure() throws Exception {
    ClusterSpec spec = ClusterSpec.parse(example("azure"));
    plan(spec, 4);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(planCommand("azure", out)).isEqualTo(2);
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("+ network security group demo-azure-nsg")
        .contains("+ OS disk demo-azure-win-0_OsDisk (128 GiB")
        .contains("Plan: 5 to add");
    CloudGate azureGate = gate();
    try (FakeArm arm =
            FakeArm.start()
                .vmSize("Standard_D2s_v5", 2)
                .vmSize("Standard_D4s_v5", 4)
                .image("Canonical:ubuntu-24_04-lts:server:1.0.0")
                .image("MicrosoftWindowsServer:WindowsServer:2022-datacenter-azure-edition:1.0.0");
        CloudProvider azure =
            new AzureProvider(
                spec,
                AzureProvider.connect(
                    spec,
                    SECRETS,
                    AzureFixture.environment(arm),
                    FakeArm.credential(),
                    azureGate,
                    FakeArm.loopbackPolicy()),
                azureGate,
                SECRETS,
                Duration.ofMillis(10))) {
      assertThat(azure.preflight(Topology.machines(spec))).isEmpty();
    }
  }

  @Test
  void openstack() throws Exception {
    try (FakeOpenStack os =
        FakeOpenStack.start()
            .user("strata", "s3cret")
            .flavor("m1.medium", 2)
            .flavor("m1.large", 4)
            .image("ubuntu-24.04")
            .image("windows-server-2022-cloudbase")
            .externalNetwork("public")) {
      // The shipped file, pointed at the fake Keystone instead of keystone.example.com.
      String yaml = example("openstack");
      assertThat(yaml).contains("authUrl: https://keystone.example.com:5000/v3");
      ClusterSpec spec =
          ClusterSpec.parse(yaml.replace("https://keystone.example.com:5000/v3", os.authUrl()));
      plan(spec, 4);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      assertThat(planCommand("openstack", out)).isEqualTo(2);
      assertThat(out.toString(StandardCharsets.UTF_8))
          .contains("+ security group demo-openstack-sg")
          .contains("+ floating IP on public")
          .contains("+ keypair demo-openstack-key");
      try (CloudProvider provider =
          new OpenStackProvider(spec, gate(), SECRETS, Duration.ofMillis(10))) {
        assertThat(provider.preflight(Topology.machines(spec))).isEmpty();
      }
    }
  }

  @Test
  void local() throws Exception {
    ClusterSpec spec = ClusterSpec.parse(example("local"));
    assertThat(spec.local().port()).isEqualTo(6000);
    plan(spec, 3);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(planCommand("local", out)).isEqualTo(2);
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("+ node demo-local-linux-1 (linux)\n")
        .contains("+ agent process and its cgroup")
        .doesNotContain("null");
    try (LocalFixture fixture = new LocalFixture();
        CloudProvider provider = fixture.provider(spec, gate())) {
      assertThat(provider.preflight(Topology.machines(spec))).isEmpty();
    }
  }

  @Test
  void everyExampleIsTested() throws Exception {
    try (var files = Files.list(EXAMPLES)) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
          .isEqualTo(List.of("azure.yaml", "local.yaml", "openstack.yaml"));
    }
  }
}
