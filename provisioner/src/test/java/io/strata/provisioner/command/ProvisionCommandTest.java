package io.strata.provisioner.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.strata.api.client.OperatorClient;
import io.strata.provisioner.apply.AgentRoster;
import io.strata.provisioner.apply.ApplyOptions;
import io.strata.provisioner.azure.AzureFixture;
import io.strata.provisioner.cloud.CloudGate;
import io.strata.provisioner.contract.FakeAllocator;
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
                new PrintStream(err, true, StandardCharsets.UTF_8));
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

    assertThat(run("apply", "-f", spec.toString(), "--output", "json")).isEqualTo(0);
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

    assertThat(run("scale", "linux", "3", "-f", spec.toString())).isEqualTo(0);
    assertThat(azure.machines("cli")).hasSize(4);

    assertThat(run("destroy", "-f", spec.toString())).isEqualTo(0);
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
    assertThat(run("apply", "-f", spec.toString())).isEqualTo(2);
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
    assertThat(run("apply", "-f", spec.toString())).isEqualTo(1);
    assertThat(err()).contains("part-linux-0 FAILED").contains("OSProvisioningTimedOut");
    assertThat(out()).contains("part-linux-1 READY");
  }
}
