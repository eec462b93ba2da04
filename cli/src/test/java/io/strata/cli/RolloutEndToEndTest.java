package io.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.allocator.server.AllocatorServer;
import io.strata.allocator.server.auth.Credentials;
import io.strata.allocator.server.config.AllocatorConfig;
import io.strata.allocator.server.config.AllocatorConfig.Principal;
import io.strata.api.Os;
import io.strata.api.json.Codec;
import io.strata.cli.inprocess.WorkloadsExtension;
import io.strata.cli.output.ExitCodes;
import io.strata.fakes.agents.ProtocolAgent;
import io.strata.fakes.agents.SimulatedCluster;
import io.strata.workloads.Workloads;
import io.strata.workloads.http.WorkloadsApi;
import io.strata.workloads.services.AppView;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rollouts through the CLI against the real allocator with the built-in frameworks in its process
 * (agents simulated at the protocol level): {@code run --dry-run} plans, {@code rollout history},
 * {@code rollback}, and the history surviving an allocator restart.
 */
class RolloutEndToEndTest {
  static final String ADMIN = "admin-token-0123456789";
  static final String JOIN = "join-token-0123456789";
  static final String WEB =
      "kind: service\nid: web\ninstances: 2\ncommand: sleep 1000\nresources: {cpus: 0.1, mem: 32Mi}\n"
          + "upgrade: {minHealthyMillis: 500}\n";

  @TempDir Path tmp;
  AllocatorConfig config;
  AllocatorServer server;
  WorkloadsExtension extension;
  Workloads workloads;
  SimulatedCluster agents;
  Map<String, String> env;

  @BeforeEach
  void start() {
    config =
        new AllocatorConfig(
            tmp.resolve("allocator").toString(),
            "127.0.0.1",
            0,
            JOIN,
            List.of(new Principal("admin", ADMIN, Set.of("*"), true)),
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            42L);
    startAllocator();
  }

  void startAllocator() {
    extension = new WorkloadsExtension("services", "jobs");
    server = AllocatorServer.start(config, Clock.systemUTC(), List.of(extension));
    workloads =
        Workloads.start(
            Workloads.Config.of(
                server.uri(),
                server.credentials().byName(Credentials.FRAMEWORKS).orElseThrow().token(),
                tmp.resolve("frameworks")));
    extension.attach(new WorkloadsApi(workloads));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                workloads.status().values().stream()
                    .allMatch(s -> ((Map<?, ?>) s).get("subscribed").equals(true)));
    env =
        Map.of(
            "STRATA_URL", server.uri().toString(),
            "STRATA_TOKEN", ADMIN,
            "STRATA_CONFIG", tmp.resolve("none").toString(),
            "STRATA_DATA_DIR", tmp.resolve("nodata").toString());
  }

  @AfterEach
  void stop() {
    if (agents != null) {
      agents.close();
    }
    workloads.close();
    server.close();
  }

  Cli.Result strata(String... args) {
    return Cli.run(env, args);
  }

  String spec(String name, String text) throws IOException {
    Path f = tmp.resolve(name);
    Files.writeString(f, text);
    return f.toString();
  }

  AppView web() {
    return workloads.app("web");
  }

  void awaitDeployed(long version) {
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> web().version() == version && web().status().equals("RUNNING"));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                workloads
                    .history("web")
                    .revisions()
                    .getLast()
                    .outcome()
                    .name()
                    .equals("SUCCEEDED"));
  }

  @Test
  void planApplyHistoryRollbackAndRestart() throws IOException {
    agents = new SimulatedCluster(server.uri(), JOIN);
    ProtocolAgent a1 = agents.add("lin-1", Os.LINUX, "cpus:4;mem:4096", Map.of());
    String v1 = spec("web.yaml", WEB);

    // A dry run of a new app: it would be created; nothing is.
    Cli.Result create = strata("run", "-f", v1, "--dry-run", "--detailed-exitcode");
    assertThat(create.code()).as(create.toString()).isEqualTo(2);
    assertThat(create.out())
        .contains("+ service web: create (version 1)")
        .contains("    + command: \"sleep 1000\"")
        .contains("  instances: 2 created")
        .contains("Plan: 1 to create, 0 to change, 0 unchanged.");
    assertThat(workloads.apps()).isEmpty();

    assertThat(strata("run", "-f", v1).out()).contains("service web: created");
    awaitDeployed(1);
    Cli.Result same = strata("run", "-f", v1, "--dry-run", "--detailed-exitcode");
    assertThat(same.code()).as(same.toString()).isZero();
    assertThat(same.out()).contains("= service web: no changes");

    // A changed command: a rolling update of both instances, shown field by field.
    String v2 =
        spec(
            "web-v2.yaml",
            WEB.replace("sleep 1000", "sleep 2000").replace("instances: 2", "instances: 3"));
    Cli.Result plan = strata("run", "-f", v2, "--dry-run", "--detailed-exitcode");
    assertThat(plan.code()).as(plan.toString()).isEqualTo(2);
    assertThat(plan.out())
        .contains("~ service web: rolling update, version 1 => 2")
        .contains("    ~ instances: 2 => 3")
        .contains("    ~ command: \"sleep 1000\" => \"sleep 2000\"")
        .contains("  instances: 2 replaced by a rolling update, 1 created");
    JsonNode json =
        Codec.JSON.decode(strata("run", "-f", v2, "--dry-run", "-o", "json").out(), JsonNode.class);
    assertThat(json.get(0).get("plan").get("change").asText()).isEqualTo("ROLLING_UPDATE");
    assertThat(json.get(0).get("plan").get("replace").asInt()).isEqualTo(2);
    assertThat(web().version()).isEqualTo(1); // never applied
    assertThat(web().spec().command()).isEqualTo("sleep 1000");

    assertThat(strata("run", "-f", v2).out()).contains("updated to version 2");
    Cli.Result status = strata("rollout", "status", "web", "--timeout", "60s");
    assertThat(status.code()).as(status.toString()).isZero();
    assertThat(status.out()).contains("app web version 2: rolled out (3 of 3 healthy)");
    awaitDeployed(2);
    Cli.Result history = strata("rollout", "history", "web");
    assertThat(history.code()).as(history.toString()).isZero();
    assertThat(history.out())
        .containsPattern("(?m)^1 +\\S+ ago +admin +created +SUCCEEDED")
        .containsPattern("(?m)^\\*2 +\\S+ ago +admin +updated: command +SUCCEEDED");

    // Roll back: version 3 runs version 1's command, by a rolling update; the count stays 3.
    Cli.Result rollback = strata("rollback", "web");
    assertThat(rollback.code()).as(rollback.toString()).isZero();
    assertThat(rollback.out()).contains("service web: rolled back to v1's task as version 3");
    awaitDeployed(3);
    assertThat(web().spec().command()).isEqualTo("sleep 1000");
    assertThat(web().spec().instances()).isEqualTo(3);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                a1.running().size() == 3
                    && a1.running().keySet().stream()
                        .allMatch(t -> t.value().startsWith("web.v3.")));

    // The history is in the allocator's store: an allocator restart keeps it.
    JsonNode before =
        Codec.JSON.decode(strata("rollout", "history", "web", "-o", "json").out(), JsonNode.class);
    agents.close();
    agents = null;
    workloads.close();
    server.close();
    startAllocator();
    JsonNode after =
        Codec.JSON.decode(strata("rollout", "history", "web", "-o", "json").out(), JsonNode.class);
    assertThat(after).isEqualTo(before);
    assertThat(after.get("version").asLong()).isEqualTo(3);
    assertThat(after.get("revisions").findValuesAsText("outcome"))
        .containsExactly("SUCCEEDED", "ROLLED_BACK", "SUCCEEDED");
    assertThat(after.get("revisions").get(2).get("cause").asText()).isEqualTo("rollback to v1");
    assertThat(after.get("revisions").get(2).get("by").asText()).isEqualTo("admin");

    Cli.Result now = strata("rollout", "status", "web", "--no-wait");
    assertThat(now.code()).as(now.toString()).isZero();
    assertThat(strata("rollout", "status", "web", "--timeout", "soon").code())
        .isEqualTo(ExitCodes.USAGE);

    // One version's spec, to apply again; unknown versions are not found.
    Cli.Result two = strata("rollout", "history", "web", "--version", "2");
    assertThat(two.out()).startsWith("kind: service").contains("command: sleep 2000");
    Cli.Result missing = strata("rollback", "web", "--to-version", "9");
    assertThat(missing.code()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(missing.err()).contains("app 'web' has no v9 in its history (kept: [v1, v2, v3])");
    Cli.Result to2 = strata("rollback", "web", "--to-version", "2", "-o", "json");
    assertThat(Codec.JSON.decode(to2.out(), JsonNode.class).get("change").asText())
        .isEqualTo("rolled back to v2's task as version 4");
  }

  @Test
  void aVersionWhoseInstancesKeepFailingFailsItsRolloutStatus() throws IOException {
    agents = new SimulatedCluster(server.uri(), JOIN);
    ProtocolAgent a1 = agents.add("lin-1", Os.LINUX, "cpus:4;mem:4096", Map.of());
    String quick = WEB + "restart: {initialDelayMillis: 100, maxDelayMillis: 100}\n";
    strata("run", "-f", spec("web.yaml", quick));
    awaitDeployed(1);
    // Instances must stay healthy 10 s for the version to succeed: these crash sooner.
    strata(
        "run",
        "-f",
        spec(
            "web2.yaml",
            quick
                .replace("sleep 1000", "crash")
                .replace("minHealthyMillis: 500", "minHealthyMillis: 10s")));
    for (int failure = 1; failure <= 3; failure++) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> a1.running().keySet().stream().anyMatch(t -> t.value().startsWith("web.v2.")));
      a1.running().keySet().stream().filter(t -> t.value().startsWith("web.v2.")).forEach(a1::fail);
    }
    Cli.Result status = strata("rollout", "status", "web", "--timeout", "60s");
    assertThat(status.code()).as(status.toString()).isEqualTo(ExitCodes.FAILURE);
    assertThat(status.out())
        .contains("app web version 2: FAILED: 3 instance failures before the deployment completed");
    assertThat(strata("rollback", "web").out()).contains("rolled back to v1's task as version 3");
    assertThat(strata("rollout", "status", "web", "--timeout", "60s").code()).isZero();
  }

  @Test
  void aJobsPlanShowsScheduleAndCommandChanges() throws IOException {
    String nightly =
        "kind: job\nid: nightly\ncommand: backup\nresources: {cpus: 0.1, mem: 16Mi}\nschedule: {cron: \"0 3 * * *\"}\n";
    Cli.Result create = strata("run", "-f", spec("n.yaml", nightly), "--dry-run");
    assertThat(create.code()).as(create.toString()).isZero(); // no --detailed-exitcode
    assertThat(create.out())
        .contains("+ job nightly: create")
        .contains("  runs on the schedule '0 3 * * *'; no run starts now");
    strata("run", "-f", spec("n.yaml", nightly));
    Cli.Result change =
        strata(
            "run",
            "-f",
            spec("n2.yaml", nightly.replace("0 3", "30 4").replace("backup", "backup --full")),
            "--dry-run",
            "--detailed-exitcode");
    assertThat(change.code()).as(change.toString()).isEqualTo(2);
    assertThat(change.out())
        .contains("~ job nightly: update")
        .contains("    ~ command: \"backup\" => \"backup --full\"")
        .contains("    ~ schedule.cron: \"0 3 * * *\" => \"30 4 * * *\"")
        .contains("  next runs follow the schedule '30 4 * * *'");
    assertThat(workloads.job("nightly").spec().command()).isEqualTo("backup");
  }
}
