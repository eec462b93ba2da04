package io.strata.provisioner.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.strata.api.client.OperatorClient;
import io.strata.provisioner.apply.AgentRoster;
import io.strata.provisioner.apply.ApplyOptions;
import io.strata.provisioner.cloud.CloudGate;
import io.strata.provisioner.contract.FakeAllocator;
import io.strata.provisioner.providers.azure.AzureFixture;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code strata provision ...} run standalone against the fake ARM. */
class ProvisionCommandTest {
  @TempDir Path dir;
  private AzureFixture azure;
  private FakeAllocator allocator;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final List<ClusterContexts.NewCluster> added = new ArrayList<>();
  private final List<String> removed = new ArrayList<>();
  private final ClusterContexts contexts =
      new ClusterContexts() {
        @Override
        public List<String> added(NewCluster cluster) {
          added.add(cluster);
          return List.of("context: " + cluster.name());
        }

        @Override
        public List<String> removed(String name) {
          removed.add(name);
          return List.of("context " + name + " removed");
        }
      };

  @BeforeEach
  void start() {
    azure = new AzureFixture();
    allocator = new FakeAllocator(() -> azure.booted());
  }

  @AfterEach
  void stop() {
    allocator.close();
    azure.close();
  }

  private int run(String... args) {
    return runWith(null, args);
  }

  /** Runs with {@code answer} typed on a terminal (null: stdin is not a terminal). */
  private int runWith(String answer, String... args) {
    out.reset();
    err.reset();
    OperatorClient operator = new OperatorClient(URI.create(allocator.url()), null);
    ProvisionCommand command =
        new ProvisionCommand(
                (spec, gate, secrets) -> azure.provider(spec, gate),
                (url, token) -> AgentRoster.of(operator),
                AzureFixture.SECRETS,
                ApplyOptions.defaults()
                    .withPollInterval(Duration.ofMillis(20))
                    .withReady(Duration.ofSeconds(30), Duration.ofMillis(50)),
                CloudGate.RateLimit.UNLIMITED)
            .withStreams(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8))
            .withInput(
                new ByteArrayInputStream(
                    (answer == null ? "" : answer + "\n").getBytes(StandardCharsets.UTF_8)),
                answer != null)
            .withContexts(contexts);
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--state-dir", dir.resolve("state").toString()));
    return new CommandLine(command).execute(all.toArray(String[]::new));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void planApplyStatusAndDestroyWithAJsonEventStream() throws Exception {
    Path spec = dir.resolve("cluster.yaml");
    Files.writeString(spec, AzureFixture.yaml("cli", 2, 0));

    assertThat(run("plan", "-f", spec.toString())).isEqualTo(0);
    assertThat(out()).contains("+ node cli-linux-1").contains("Plan: 4 to add, 0 to change");

    assertThat(run("apply", "-f", spec.toString(), "--output", "json", "--auto-approve"))
        .isEqualTo(0);
    List<String> types = new ArrayList<>();
    ObjectMapper json = new ObjectMapper();
    for (String line : out().strip().split("\n")) {
      JsonNode event = json.readTree(line);
      assertThat(event.has("@timestamp")).isTrue();
      types.add(event.path("type").asText());
    }
    assertThat(types).contains("planned_change", "change_summary", "apply_start", "apply_complete");
    assertThat(out()).contains("\"addr\":\"node.cli-linux-0\"");

    assertThat(run("plan", "-f", spec.toString())).isEqualTo(0);
    assertThat(out()).contains("No changes.");

    assertThat(run("status", "cli")).isEqualTo(0);
    assertThat(out()).contains("cli-linux-1").contains("READY");

    assertThat(run("scale", "linux", "3", "-f", spec.toString(), "-auto-approve")).isEqualTo(0);
    assertThat(azure.machines("cli")).hasSize(4);

    assertThat(run("destroy", "-f", spec.toString(), "--auto-approve")).isEqualTo(0);
    assertThat(out()).contains("Destroy complete.");
    assertThat(azure.tagged("cli")).isEmpty();
  }

  @Test
  void aBadSpecIsReportedWithFieldPathsAndExitCode2() throws Exception {
    Path spec = dir.resolve("bad.yaml");
    Files.writeString(
        spec,
        AzureFixture.yaml("bad", 1, 0)
            .replace("clientSecret: {env: AZURE_CLIENT_SECRET}", "clientSecret: hunter2")
            .replace("count: 1, size", "count: 2, size"));
    assertThat(run("apply", "-f", spec.toString(), "--auto-approve")).isEqualTo(2);
    assertThat(err())
        .contains("strata: error: azure.clientSecret: inline secrets are not allowed")
        .contains("error: allocator.count")
        .doesNotContain("hunter2")
        .doesNotContain("Exception");
    assertThat(azure.tagged("bad")).isEmpty();
  }

  @Test
  void aPartialFailureExitsWith1AndNamesTheNode() throws Exception {
    Path spec = dir.resolve("cluster.yaml");
    Files.writeString(spec, AzureFixture.yaml("part", 2, 0));
    azure.failBoot("part-linux-0");
    assertThat(run("apply", "-f", spec.toString(), "--auto-approve")).isEqualTo(1);
    assertThat(err()).contains("part-linux-0 FAILED").contains("OSProvisioningTimedOut");
    assertThat(out()).contains("part-linux-1 READY");
  }

  @Test
  void applyAndDestroyAskFirstAndRefuseWhenNoOneCanAnswer() throws Exception {
    Path spec = dir.resolve("cluster.yaml");
    Files.writeString(spec, AzureFixture.yaml("ask", 1, 0));

    // Not a terminal, no --auto-approve: refused at once, nothing created.
    assertThat(run("apply", "-f", spec.toString())).isEqualTo(2);
    assertThat(err())
        .contains("strata: error: refusing to apply without confirmation")
        .contains("--auto-approve");
    assertThat(out()).contains("+ node ask-linux-0");
    assertThat(azure.tagged("ask")).isEmpty();
    assertThat(run("apply", "-f", spec.toString(), "--output", "json")).isEqualTo(2);
    assertThat(err()).contains("--output json leaves no one to ask");

    // On a terminal, anything but "yes" declines.
    assertThat(runWith("y", "apply", "-f", spec.toString())).isEqualTo(1);
    assertThat(out())
        .contains("Do you want to perform these actions?")
        .contains("Only 'yes' will be accepted");
    assertThat(err()).contains("Apply cancelled");
    assertThat(azure.tagged("ask")).isEmpty();

    assertThat(runWith("yes", "apply", "-f", spec.toString())).isEqualTo(0);
    assertThat(out()).contains("Apply complete.");
    assertThat(azure.machines("ask")).hasSize(2);

    // An unchanged spec applies without asking: there is nothing to approve.
    assertThat(run("apply", "-f", spec.toString())).isEqualTo(0);
    assertThat(out()).contains("No changes.").doesNotContain("Do you want");

    assertThat(run("destroy", "-f", spec.toString())).isEqualTo(2);
    assertThat(err()).contains("refusing to destroy without confirmation");
    assertThat(azure.machines("ask")).hasSize(2);
    assertThat(runWith("no", "destroy", "-f", spec.toString())).isEqualTo(1);
    assertThat(out())
        .contains("- node ask-linux-0")
        .contains("Do you really want to destroy all resources?");
    assertThat(azure.machines("ask")).hasSize(2);
    assertThat(runWith("yes", "destroy", "-f", spec.toString())).isEqualTo(0);
    assertThat(azure.tagged("ask")).isEmpty();
  }

  @Test
  void planWithDetailedExitCodeSaysWhetherChangesArePending() throws Exception {
    Path spec = dir.resolve("cluster.yaml");
    Files.writeString(spec, AzureFixture.yaml("dxc", 1, 0));
    assertThat(run("plan", "-f", spec.toString())).isEqualTo(0);
    assertThat(run("plan", "-f", spec.toString(), "-detailed-exitcode")).isEqualTo(2);
    assertThat(out()).contains("Plan: 3 to add");
    assertThat(run("apply", "-f", spec.toString(), "--auto-approve")).isEqualTo(0);
    assertThat(run("plan", "-f", spec.toString(), "--detailed-exitcode")).as(out()).isEqualTo(0);
    assertThat(out()).contains("No changes.");
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "name: dxc\ncloud: azure\n");
    assertThat(run("plan", "-f", bad.toString(), "-detailed-exitcode")).isEqualTo(1);
    assertThat(run("plan", "-f", bad.toString())).isEqualTo(2);
  }

  @Test
  void thePlanListsEveryResourceTheApplyCreates() throws Exception {
    Path spec = dir.resolve("cluster.yaml");
    Files.writeString(spec, AzureFixture.yaml("res", 1, 1));
    assertThat(run("plan", "-f", spec.toString())).isEqualTo(0);
    String plan = out();
    assertThat(plan)
        .contains("+ resource group strata-res (westeurope)")
        .contains("+ network security group res-nsg (TCP 22, 3389, 5050 from 198.51.100.0/24)")
        .contains("+ virtual network res-vnet (10.40.0.0/16)")
        .contains("+ subnet nodes (10.40.0.0/24)")
        .contains("+ public IP res-alloc-0-ip")
        .contains("+ network interface res-linux-0-nic")
        .contains("+ OS disk res-win-0_OsDisk (64 GiB")
        .contains("+ VM extension strata-bootstrap");
    assertThat(run("apply", "-f", spec.toString(), "--auto-approve")).isEqualTo(0);
    // Every named resource the plan announced exists in the cloud after the apply.
    for (String[] typeAndName :
        new String[][] {
          {"Microsoft.Network/networkSecurityGroups", "res-nsg"},
          {"Microsoft.Network/virtualNetworks", "res-vnet"},
          {"Microsoft.Network/publicIPAddresses", "res-alloc-0-ip"},
          {"Microsoft.Network/networkInterfaces", "res-linux-0-nic"},
          {"Microsoft.Network/networkInterfaces", "res-win-0-nic"},
          {"Microsoft.Compute/virtualMachines", "res-win-0"}
        }) {
      assertThat(azure.arm.resources(typeAndName[0]))
          .as(typeAndName[0])
          .extracting(n -> n.path("name").asText())
          .contains(typeAndName[1]);
    }
  }

  @Test
  void statusTakesTheSpecAsWellAsTheName() throws Exception {
    Path spec = dir.resolve("cluster.yaml");
    Files.writeString(spec, AzureFixture.yaml("stat", 1, 0));
    assertThat(run("status", "-f", spec.toString())).isEqualTo(2);
    assertThat(err()).contains("no state for cluster stat");
    assertThat(run("apply", "-f", spec.toString(), "--auto-approve")).isEqualTo(0);
    assertThat(run("status", "-f", spec.toString())).isEqualTo(0);
    assertThat(out()).contains("cluster stat on azure").contains("stat-linux-0");
    assertThat(run("status")).isEqualTo(2);
    assertThat(err()).contains("give the cluster's name or its spec with -f");
  }

  @Test
  void progressIntoAPipeIsPlainLinesWithoutCarriageReturns() throws Exception {
    Path spec = dir.resolve("cluster.yaml");
    Files.writeString(spec, AzureFixture.yaml("pipe", 2, 0));
    assertThat(run("apply", "-f", spec.toString(), "--auto-approve")).isEqualTo(0);
    assertThat(err())
        .doesNotContain("\r")
        .contains("apply pipe: node.pipe-linux-1 created")
        .contains("apply pipe: node.pipe-linux-1 joined");
  }

  @Test
  void afterApplyTheNewClusterIsHandedToTheContextsAndForgottenOnDestroy() throws Exception {
    Path spec = dir.resolve("cluster.yaml");
    Files.writeString(spec, AzureFixture.yaml("ctx", 1, 0));
    assertThat(run("apply", "-f", spec.toString(), "--auto-approve")).isEqualTo(0);
    assertThat(added).hasSize(1);
    ClusterContexts.NewCluster cluster = added.get(0);
    assertThat(cluster.name()).isEqualTo("ctx");
    assertThat(cluster.url()).startsWith("https://").endsWith(":5050");
    assertThat(cluster.operatorToken()).isNotBlank();
    assertThat(cluster.caPem()).contains("BEGIN CERTIFICATE");
    assertThat(cluster.toString()).doesNotContain(cluster.operatorToken());
    assertThat(out()).contains("allocator: " + cluster.url()).contains("context: ctx");
    assertThat(run("destroy", "-f", spec.toString(), "--auto-approve")).isEqualTo(0);
    assertThat(removed).containsExactly("ctx");
  }
}
