package io.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.allocator.server.AllocatorServer;
import io.strata.allocator.server.auth.Credentials;
import io.strata.allocator.server.config.AllocatorConfig;
import io.strata.allocator.server.config.AllocatorConfig.Principal;
import io.strata.api.Os;
import io.strata.api.TaskId;
import io.strata.api.TaskInfo;
import io.strata.api.json.Codec;
import io.strata.cli.inprocess.WorkloadsExtension;
import io.strata.cli.output.ExitCodes;
import io.strata.fakes.agents.ProtocolAgent;
import io.strata.fakes.agents.SimulatedCluster;
import io.strata.workloads.Workloads;
import io.strata.workloads.http.WorkloadsApi;
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
 * The real allocator with the built-in frameworks in its process, agents simulated at the protocol
 * level (no processes run), and the CLI against it. Includes issue 5's mixed-cluster check: a
 * Windows agent and Linux agents register, and an os=windows app lands only on the Windows agent.
 */
class InProcessClusterTest {
  static final String ADMIN = "admin-token-0123456789";
  static final String JOIN = "join-token-0123456789";

  @TempDir Path tmp;
  AllocatorServer server;
  WorkloadsExtension extension;
  Workloads workloads;
  SimulatedCluster agents;
  Map<String, String> env;

  @BeforeEach
  void start() {
    AllocatorConfig config =
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
    extension = new WorkloadsExtension("services", "jobs");
    server = AllocatorServer.start(config, Clock.systemUTC(), List.of(extension));
    startFrameworks();
    agents = new SimulatedCluster(server.uri(), JOIN);
    env =
        Map.of(
            "STRATA_URL", server.uri().toString(),
            "STRATA_TOKEN", ADMIN,
            "STRATA_CONFIG", tmp.resolve("none").toString(),
            "STRATA_DATA_DIR", tmp.resolve("nodata").toString());
  }

  void startFrameworks() {
    workloads =
        Workloads.start(
            Workloads.Config.of(
                server.uri(),
                // As InProcess: the frameworks' own principal, never the admin.
                server.credentials().byName(Credentials.FRAMEWORKS).orElseThrow().token(),
                tmp.resolve("frameworks")));
    extension.attach(new WorkloadsApi(workloads));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                workloads.status().values().stream()
                    .allMatch(s -> ((Map<?, ?>) s).get("subscribed").equals(true)));
  }

  /** Both frameworks subscribed and done recovering. */
  boolean settled() {
    return workloads.status().values().stream()
        .map(v -> (Map<?, ?>) v)
        .allMatch(v -> v.get("subscribed").equals(true) && v.get("recovering").equals(false));
  }

  @AfterEach
  void stop() {
    if (agents != null) {
      agents.close();
    }
    if (workloads != null) {
      workloads.close();
    }
    if (server != null) {
      server.close();
    }
  }

  Cli.Result strata(String... args) {
    return Cli.run(env, args);
  }

  Path spec(String name, String text) throws IOException {
    Path f = tmp.resolve(name);
    Files.writeString(f, text);
    return f;
  }

  @Test
  void aWindowsAppLandsOnlyOnTheWindowsAgent() throws IOException {
    ProtocolAgent lin1 = agents.add("lin-1", Os.LINUX, "cpus:4;mem:4096", Map.of());
    ProtocolAgent lin2 = agents.add("lin-2", Os.LINUX, "cpus:4;mem:4096", Map.of());
    ProtocolAgent win = agents.add("win-1", Os.WINDOWS, "cpus:4;mem:4096", Map.of());
    Path iis =
        spec(
            "iis.yaml",
            "kind: service\nid: iis\ninstances: 3\nos: windows\ncommand: ping -t localhost\nresources: {cpus: 0.5, mem: 256Mi}\n");
    Path web =
        spec(
            "web.yaml",
            "kind: service\nid: web\ninstances: 4\ncommand: sleep 1000\nresources: {cpus: 0.5, mem: 256Mi}\n");
    Cli.Result run = strata("run", "-f", iis.toString(), "-f", web.toString());
    assertThat(run.code()).as(run.toString()).isZero();
    assertThat(run.out()).contains("service iis: created").contains("service web: created");

    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> workloads.apps().stream().filter(a -> a.status().equals("RUNNING")).count() == 2);
    assertThat(win.running().keySet()).hasSize(3).allMatch(t -> t.value().startsWith("iis."));
    assertThat(lin1.running().keySet()).noneMatch(t -> t.value().startsWith("iis."));
    assertThat(lin2.running().keySet()).noneMatch(t -> t.value().startsWith("iis."));
    assertThat(lin1.running().size() + lin2.running().size()).isEqualTo(4);

    Cli.Result ps = strata("ps");
    assertThat(ps.out()).contains("win-1").contains("RUNNING");
  }

  @Test
  void endpointsAndDnsServeLinuxAndWindowsInstancesAlike() throws Exception {
    agents.add("lin-1", Os.LINUX, "cpus:4;mem:4096", Map.of(), "http://127.0.0.1:5051");
    agents.add("win-1", Os.WINDOWS, "cpus:4;mem:4096", Map.of(), "http://127.0.0.2:5051");
    Path iis =
        spec(
            "iis.yaml",
            "kind: service\nid: iis\ninstances: 2\nos: windows\ncommand: ping -t localhost\n"
                + "resources: {cpus: 0.5, mem: 256Mi, ports: 2}\n");
    Path web =
        spec(
            "web.yaml",
            "kind: service\nid: web\ninstances: 1\nos: linux\ncommand: sleep 1000\n"
                + "resources: {cpus: 0.5, mem: 256Mi, ports: 1}\n");
    assertThat(strata("run", "-f", iis.toString(), "-f", web.toString()).code()).isZero();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                strata("endpoints", "iis").out().lines().filter(l -> l.contains(" yes")).count()
                    == 2);

    Cli.Result table = strata("endpoints", "iis");
    assertThat(table.code()).as(table.toString()).isZero();
    assertThat(table.out())
        .contains("NAME", "ENDPOINT", "IN DNS")
        .contains("127.0.0.2:310")
        .contains("win-1")
        .contains("DNS iis: iis.services.strata. (A), _iis._tcp.services.strata. (SRV)")
        .doesNotContain("lin-1");
    Cli.Result json = strata("endpoints", "web", "-o", "json");
    assertThat(json.code()).as(json.toString()).isZero();
    com.fasterxml.jackson.databind.JsonNode groups =
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.out());
    assertThat(groups).hasSize(1);
    assertThat(groups.get(0).get("dnsName").asText()).isEqualTo("web.services.strata.");
    assertThat(groups.get(0).get("instances").get(0).get("address").asText())
        .isEqualTo("127.0.0.1");
    assertThat(groups.get(0).get("instances").get(0).get("ports")).hasSize(1);
    Cli.Result none = strata("endpoints", "nothing-here");
    assertThat(none.code()).isZero();
    assertThat(none.out()).contains("no active instances of nothing-here");

    // The same through DNS: the Windows instances' agent address and both of their ports.
    org.xbill.DNS.SimpleResolver resolver = new org.xbill.DNS.SimpleResolver("127.0.0.1");
    resolver.setPort(server.dnsPort());
    org.xbill.DNS.Message a =
        resolver.send(
            org.xbill.DNS.Message.newQuery(
                org.xbill.DNS.Record.newRecord(
                    org.xbill.DNS.Name.fromString("iis.services.strata."),
                    org.xbill.DNS.Type.A,
                    org.xbill.DNS.DClass.IN)));
    assertThat(a.getSection(org.xbill.DNS.Section.ANSWER))
        .singleElement()
        .satisfies(r -> assertThat(r.rdataToString()).isEqualTo("127.0.0.2"));
    org.xbill.DNS.Message srv =
        resolver.send(
            org.xbill.DNS.Message.newQuery(
                org.xbill.DNS.Record.newRecord(
                    org.xbill.DNS.Name.fromString("_port1._iis._tcp.services.strata."),
                    org.xbill.DNS.Type.SRV,
                    org.xbill.DNS.DClass.IN)));
    assertThat(srv.getSection(org.xbill.DNS.Section.ANSWER)).hasSize(2);
  }

  @Test
  void whyExplainsAMissingWindowsAgentAndAnImpossibleConstraint() throws IOException {
    agents.add("lin-1", Os.LINUX, "cpus:2;mem:2048", Map.of("zone", "a"));
    agents.add("lin-2", Os.LINUX, "cpus:2;mem:2048", Map.of("zone", "b"));
    agents.add("lin-3", Os.LINUX, "cpus:2;mem:2048", Map.of("zone", "a"));
    strata(
        "run",
        "-f",
        spec("ok.yaml", "kind: service\nid: ok\ncommand: x\nresources: {mem: 64Mi}\n").toString());
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> strata("apps", "ok").out().contains("RUNNING"));
    strata(
        "run",
        "-f",
        spec(
                "win.yaml",
                "kind: service\nid: win\ncommand: x\nos: windows\nresources: {mem: 64Mi}\n")
            .toString());
    strata(
        "run",
        "-f",
        spec(
                "mars.yaml",
                "kind: job\nid: mars\ncommand: x\nresources: {mem: 64Mi}\nconstraints: [{attribute: zone, operator: EQUALS, value: mars}]\n")
            .toString());
    strata(
        "run",
        "-f",
        spec("big.yaml", "kind: service\nid: big\ncommand: x\nresources: {mem: 3Gi}\n").toString());

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(strata("why", "win").out())
                    .contains("no agent with os=windows (3 agents known)"));
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(strata("why", "mars").out())
                    .contains(
                        "constraint zone EQUALS mars: all 3 agents not matching  [CONSTRAINT]"));
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(strata("why", "big").out())
                    .contains("insufficient memory on all 3 agents: largest free")
                    .contains("< 3 GiB  [INSUFFICIENT_MEMORY]"));
    Cli.Result json = strata("why", "win", "-o", "json");
    assertThat(json.out()).contains("\"code\" : \"OS_MISMATCH\"");
    Cli.Result ps = strata("ps");
    assertThat(ps.out()).contains("PENDING").contains("no agent with os=windows");
  }

  @Test
  void exitCodesForNotFoundAndUnauthorized() {
    assertThat(strata("apps", "nope").code()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(strata("why", "nope").code()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(strata("stop", "nope").code()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(strata("kill", "nope.v1.abc").code()).isEqualTo(ExitCodes.NOT_FOUND);
    Cli.Result denied =
        Cli.run(
            Map.of(
                "STRATA_URL",
                server.uri().toString(),
                "STRATA_TOKEN",
                "wrong-token-000000000",
                "STRATA_DATA_DIR",
                tmp.toString()),
            "apps");
    assertThat(denied.code()).as(denied.toString()).isEqualTo(ExitCodes.UNAUTHORIZED);
    Cli.Result badScale = strata("scale", "nope", "-1");
    assertThat(badScale.code()).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void scaleKillAndAFrameworkRestartLoseNothing() throws IOException {
    ProtocolAgent a1 = agents.add("lin-1", Os.LINUX, "cpus:4;mem:4096", Map.of());
    ProtocolAgent a2 = agents.add("lin-2", Os.LINUX, "cpus:4;mem:4096", Map.of());
    strata(
        "run",
        "-f",
        spec(
                "web.yaml",
                "kind: service\nid: web\ninstances: 2\ncommand: x\nresources: {cpus: 0.1, mem: 32Mi}\nconstraints: [{attribute: hostname, operator: UNIQUE}]\n")
            .toString());
    Cli.Result batch =
        strata(
            "run",
            "-f",
            spec(
                    "batch.yaml",
                    "kind: job\nid: batch\ncommand: x\nresources: {cpus: 0.1, mem: 16Mi}\ncompletions: 3\nparallelism: 3\n")
                .toString());
    assertThat(batch.code()).as(batch.toString()).isZero();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> a1.running().size() + a2.running().size() == 5);

    // A crashed instance is replaced.
    TaskId victim =
        a1.running().keySet().stream()
            .filter(t -> t.value().startsWith("web."))
            .findFirst()
            .orElseThrow();
    a1.fail(victim);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                a1.running().keySet().stream()
                    .anyMatch(t -> t.value().startsWith("web.") && !t.equals(victim)));

    // The frameworks restart: specs and runs come back from the store, tasks are adopted, none
    // doubled.
    Map<TaskId, TaskInfo> before = Map.copyOf(a1.running());
    workloads.close();
    extension.attach(null);
    startFrameworks();
    Cli.Result apps = strata("apps");
    assertThat(apps.out()).contains("web");
    assertThat(strata("jobs", "batch").out()).contains("r1");
    await().atMost(Duration.ofSeconds(30)).until(this::settled);
    await()
        .pollDelay(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(30))
        .until(() -> strata("apps", "web").out().contains("RUNNING"));
    assertThat(a1.running().keySet()).containsAll(before.keySet());
    long web =
        a1.running().keySet().stream().filter(t -> t.value().startsWith("web.")).count()
            + a2.running().keySet().stream().filter(t -> t.value().startsWith("web.")).count();
    assertThat(web).isEqualTo(2);

    // Scale and kill through the CLI.
    assertThat(strata("scale", "web", "1").out()).contains("scaled from 2 to 1");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                a1.running().keySet().stream().filter(t -> t.value().startsWith("web.")).count()
                        + a2.running().keySet().stream()
                            .filter(t -> t.value().startsWith("web."))
                            .count()
                    == 1);
    Cli.Result stop = strata("stop", "web", "batch");
    assertThat(stop.code()).as(stop.toString()).isZero();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> a1.running().isEmpty() && a2.running().isEmpty());
    assertThat(strata("apps").out().lines().count()).isEqualTo(1); // the header only
  }

  @Test
  void shownSpecsApplyAgainEveryCommandAnswersJsonAndFailedJobsSayWhy() throws IOException {
    ProtocolAgent a1 = agents.add("lin-1", Os.LINUX, "cpus:4;mem:4096", Map.of());
    Cli.Result run =
        strata(
            "run",
            "-f",
            spec(
                    "web.yaml",
                    "kind: service\nid: web\ncommand: x\nresources: {cpus: 0.1, mem: 32Mi}\n"
                        + "killGracePeriod: 3s\n")
                .toString(),
            "-o",
            "json");
    assertThat(run.code()).as(run.toString()).isZero();
    JsonNode ran = Codec.JSON.decode(run.out(), JsonNode.class);
    assertThat(ran.get(0).get("id").asText()).isEqualTo("web");
    assertThat(ran.get(0).get("kind").asText()).isEqualTo("service");
    await().atMost(Duration.ofSeconds(60)).until(() -> a1.running().size() == 1);

    // What apps -o yaml shows is a spec run -f takes again.
    Cli.Result shown = strata("apps", "web", "-o", "yaml");
    assertThat(shown.out()).startsWith("kind: service").contains("status:");
    Cli.Result again =
        strata("run", "-f", spec("again.yaml", shown.out()).toString(), "-o", "json");
    assertThat(again.code()).as(again.toString()).isZero();
    assertThat(Codec.JSON.decode(again.out(), JsonNode.class).get(0).get("id").asText())
        .isEqualTo("web");
    Cli.Result shownJson = strata("apps", "web", "-o", "json");
    assertThat(strata("run", "-f", spec("again.json", shownJson.out()).toString()).code()).isZero();

    Cli.Result scale = strata("scale", "web", "2", "-o", "json");
    assertThat(scale.code()).as(scale.toString()).isZero();
    assertThat(Codec.JSON.decode(scale.out(), JsonNode.class).has("change")).isTrue();

    // A job whose task fails says why, in the list and in its history.
    strata(
        "run",
        "-f",
        spec(
                "oom.yaml",
                "kind: job\nid: oom\ncommand: x\nresources: {cpus: 0.1, mem: 16Mi}\nretries: 0\n")
            .toString());
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> a1.running().keySet().stream().anyMatch(t -> t.value().startsWith("oom.")));
    TaskId task =
        a1.running().keySet().stream()
            .filter(t -> t.value().startsWith("oom."))
            .findFirst()
            .orElseThrow();
    a1.fail(task, io.strata.api.Reason.MEMORY_LIMIT, "out of memory (limit 16Mi)");
    await().atMost(Duration.ofSeconds(60)).until(() -> strata("jobs").out().contains("FAILED"));
    assertThat(strata("jobs").out()).contains("MEMORY_LIMIT, exit 1: out of memory (limit 16Mi)");
    assertThat(strata("jobs", "oom").out())
        .contains("1 tasks failed, the last with MEMORY_LIMIT, exit 1: out of memory");
    Cli.Result job = strata("jobs", "oom", "-o", "yaml");
    assertThat(job.out()).startsWith("kind: job").contains("lastFailure");
    assertThat(
            strata("run", "-f", spec("oom-again.yaml", job.out()).toString(), "--dry-run").code())
        .isZero();
  }

  @Test
  void commandsFindTheClusterOfTheCurrentContextWithItsToken() throws IOException {
    agents.add("lin-1", Os.LINUX, "cpus:1;mem:1024", Map.of());
    Map<String, String> bare = Map.of("STRATA_CONFIG", tmp.resolve("cfg/config.yaml").toString());
    Path token = Files.writeString(tmp.resolve("admin.token"), ADMIN + "\n");
    // What strata up --port P --data-dir D leaves: a current context for its cluster.
    new io.strata.cli.client.Contexts(null, List.of())
        .withCurrent(
            new io.strata.cli.client.Contexts.Context(
                "local-x", server.uri().toString(), token.toString(), null, null))
        .save(bare);
    Cli.Result nodes = Cli.run(bare, "nodes");
    assertThat(nodes.code()).as(nodes.toString()).isZero();
    assertThat(nodes.out()).contains("lin-1");
    Cli.Result show = Cli.run(bare, "context", "show");
    assertThat(show.out()).contains("current context 'local-x'").contains("token: set");
    Cli.Result list = Cli.run(bare, "context");
    assertThat(list.out()).contains("*").contains("local-x").contains(server.uri().toString());
    // STRATA_URL alone takes the token of the context with that URL.
    Map<String, String> urlOnly = new java.util.HashMap<>(bare);
    urlOnly.put("STRATA_URL", server.uri().toString());
    assertThat(Cli.run(bare, "context", "delete", "local-x").code()).isZero();
    assertThat(Cli.run(urlOnly, "nodes").code()).isEqualTo(ExitCodes.UNAUTHORIZED);
    new io.strata.cli.client.Contexts(null, List.of())
        .withCurrent(
            new io.strata.cli.client.Contexts.Context(
                "local-x", server.uri().toString(), token.toString(), null, null))
        .withCurrent(
            new io.strata.cli.client.Contexts.Context(
                "elsewhere", "http://127.0.0.1:1", null, null, null))
        .save(bare);
    Cli.Result withUrl = Cli.run(urlOnly, "nodes");
    assertThat(withUrl.code()).as(withUrl.toString()).isZero();
    assertThat(Cli.run(bare, "context", "use", "nope").code()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(Cli.run(bare, "context", "use", "local-x").code()).isZero();
    assertThat(Cli.run(bare, "nodes").code()).isZero();
  }

  @Test
  void drainingANodeMovesItsInstancesElsewhere() throws IOException {
    ProtocolAgent a1 = agents.add("lin-1", Os.LINUX, "cpus:4;mem:4096", Map.of());
    ProtocolAgent a2 = agents.add("lin-2", Os.LINUX, "cpus:4;mem:4096", Map.of());
    ProtocolAgent a3 = agents.add("lin-3", Os.LINUX, "cpus:4;mem:4096", Map.of());
    strata(
        "run",
        "-f",
        spec(
                "web.yaml",
                "kind: service\nid: web\ninstances: 2\ncommand: x\nresources: {cpus: 0.1, mem: 32Mi}\n"
                    + "constraints: [{attribute: hostname, operator: UNIQUE}]\n")
            .toString());
    await().atMost(Duration.ofSeconds(60)).until(() -> workloads.app("web").healthy() == 2);
    ProtocolAgent busy = a1.running().isEmpty() ? a2 : a1;
    Cli.Result drain = strata("drain", busy.info().hostname());
    assertThat(drain.code()).as(drain.toString()).isZero();
    assertThat(drain.out()).contains("DRAINING");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                busy.running().isEmpty()
                    && workloads.app("web").healthy() == 2
                    && workloads.app("web").status().equals("RUNNING"));
    assertThat(a1.running().size() + a2.running().size() + a3.running().size()).isEqualTo(2);
    assertThat(strata("drain", "no-such-node").code()).isEqualTo(ExitCodes.NOT_FOUND);

    Cli.Result undrain = strata("undrain", busy.info().hostname());
    assertThat(undrain.code()).as(undrain.toString()).isZero();
    assertThat(undrain.out()).contains("ACTIVE");
    assertThat(strata("nodes").out()).doesNotContain("DRAIN");
    assertThat(strata("undrain", "no-such-node").code()).isEqualTo(ExitCodes.NOT_FOUND);
  }
}
