package io.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.strata.allocator.server.auth.Credentials;
import io.strata.allocator.server.config.AllocatorConfig;
import io.strata.api.AgentId;
import io.strata.api.AgentInfo;
import io.strata.api.FrameworkId;
import io.strata.api.FrameworkInfo;
import io.strata.api.Os;
import io.strata.api.ResourcePool;
import io.strata.api.Resources;
import io.strata.api.agent.AgentRegistered;
import io.strata.api.agent.RegisterAgent;
import io.strata.api.client.AgentClient;
import io.strata.api.client.NdjsonStream;
import io.strata.api.client.OperatorClient;
import io.strata.api.client.Paths;
import io.strata.api.client.SchedulerClient;
import io.strata.api.json.Codec;
import io.strata.api.json.Problem;
import io.strata.api.operator.JoinTokenRequest;
import io.strata.api.scheduler.SchedulerCall;
import io.strata.api.scheduler.SchedulerEvent;
import io.strata.cli.inprocess.InProcess;
import io.strata.cli.output.ExitCodes;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may call what: every route of the OpenAPI document (as the allocator serves it) × every kind
 * of caller, against {@code strata allocator} as it runs (allocator and built-in frameworks in one
 * process), with the verdict the {@link #TABLE} expects: {@code 401} (not authenticated for this
 * API), {@code 403} (authenticated, not authorized; the problem names the principal) or {@code ok}
 * (let through: any answer but 401, 403 or 500). A documented route without a row fails, and so
 * does a row for a route the document lacks.
 *
 * <p>Objects are always B's: agent routes name agent B, framework routes framework B (principal
 * {@code batch}), role routes role {@code batch}. Refusals run first, then what is allowed, the
 * destructive calls (drain, teardown, revoke, delete) last, so no allowed call changes what a
 * refused one meets.
 */
class AuthorizationMatrixTest {
  /** Who calls. */
  enum Caller {
    /** No Authorization header. */
    NONE,
    /** A bearer token nobody has. */
    WRONG_TOKEN,
    /** The configured join token. */
    JOIN_TOKEN,
    /** Agent A's own credential, on agent B's routes. */
    AGENT_A,
    /** Agent B's own credential, on its own routes. */
    AGENT_B,
    /** Principal web (framework A, role web), on framework B's objects. */
    FRAMEWORK_A,
    /** Principal web subscribing in role batch, which it may not use (else as FRAMEWORK_A). */
    FORBIDDEN_ROLE,
    /** Principal batch, framework B's own, on its objects. */
    FRAMEWORK_B,
    /** The built-in frameworks' principal (strata-frameworks). */
    BUILT_IN,
    /** A principal with viewer: true. */
    VIEWER,
    /** A principal with operator: true. */
    ADMIN
  }

  // Columns: the Caller values in order. ok = let through; 401; 403.
  static final String TABLE =
      """
      # route                                  none wrong join agtA agtB | fwA role fwB built | view admin
      POST /v1/agents/register                    401 401  ok   401  401 | 401 401  401 401   | 401  401
      POST /v1/agents/{agentId}/heartbeat         401 401  401  401  ok  | 401 401  401 401   | 401  401
      POST /v1/agents/{agentId}/status            401 401  401  401  ok  | 401 401  401 401   | 401  401
      POST /v1/agents/{agentId}/statuses          401 401  401  401  ok  | 401 401  401 401   | 401  401
      GET  /v1/agents/{agentId}/stream            401 401  401  401  ok  | 401 401  401 401   | 401  401
      POST /v1/scheduler                          401 401  401  401  401 | 403 403  ok  403   | 403  403
      GET  /v1/frameworks/{frameworkId}/tasks     401 401  401  401  401 | 403 403  ok  403   | 403  403
      GET  /v1/frameworks/{frameworkId}/store     401 401  401  401  401 | 403 403  ok  403   | 403  403
      GET  /v1/frameworks/{frameworkId}/store/{key} 401 401 401 401  401 | 403 403  ok  403   | 403  403
      PUT  /v1/frameworks/{frameworkId}/store/{key} 401 401 401 401  401 | 403 403  ok  403   | 403  403
      DELETE /v1/frameworks/{frameworkId}/store/{key} 401 401 401 401 401 | 403 403 ok  403   | 403  403
      GET  /v1/state                              401 401  401  401  401 | 403 403  403 403   | ok   ok
      GET  /v1/agents                             401 401  401  401  401 | 403 403  403 403   | ok   ok
      GET  /v1/agents/{agentId}                   401 401  401  401  401 | 403 403  403 403   | ok   ok
      POST /v1/agents/{agentId}/drain             401 401  401  401  401 | 403 403  403 403   | 403  ok
      POST /v1/agents/{agentId}/reactivate        401 401  401  401  401 | 403 403  403 403   | 403  ok
      POST /v1/agents/{agentId}/revoke            401 401  401  401  401 | 403 403  403 403   | 403  ok
      POST /v1/agent-access                       401 401  401  401  401 | 403 403  403 403   | ok   ok
      GET  /v1/frameworks                         401 401  401  401  401 | 403 403  403 403   | ok   ok
      GET  /v1/frameworks/{frameworkId}           401 401  401  401  401 | 403 403  403 403   | ok   ok
      POST /v1/frameworks/{frameworkId}/teardown  401 401  401  401  401 | 403 403  ok  403   | 403  ok
      GET  /v1/tasks                              401 401  401  401  401 | 403 403  403 403   | ok   ok
      GET  /v1/endpoints                          401 401  401  401  401 | 403 403  403 403   | ok   ok
      GET  /v1/roles                              401 401  401  401  401 | 403 403  403 403   | ok   ok
      PUT  /v1/roles/{role}                       401 401  401  401  401 | 403 403  403 403   | 403  ok
      GET  /metrics                               401 401  401  401  401 | 403 403  403 403   | ok   ok
      POST /v1/join-tokens                        401 401  401  401  401 | 403 403  403 403   | 403  ok
      GET  /v1/join-tokens                        401 401  401  401  401 | 403 403  403 403   | ok   ok
      DELETE /v1/join-tokens/{id}                 401 401  401  401  401 | 403 403  403 403   | 403  ok
      GET  /health                                ok  ok   ok   ok   ok  | ok  ok   ok  ok    | ok   ok
      GET  /v1/openapi.json                       ok  ok   ok   ok   ok  | ok  ok   ok  ok    | ok   ok
      GET  /v1/leader                             ok  ok   ok   ok   ok  | ok  ok   ok  ok    | ok   ok
      GET  /health/leader                         ok  ok   ok   ok   ok  | ok  ok   ok  ok    | ok   ok
      # The built-in frameworks' API (served on the allocator's port by the cli's WorkloadsExtension)
      GET  /v1/apps                               401 401  401  401  401 | 403 403  403 403   | ok   ok
      POST /v1/apps                               401 401  401  401  401 | 403 403  403 403   | 403  ok
      GET  /v1/apps/{id}                          401 401  401  401  401 | 403 403  403 403   | ok   ok
      DELETE /v1/apps/{id}                        401 401  401  401  401 | 403 403  403 403   | 403  ok
      PUT  /v1/apps/{id}/instances                401 401  401  401  401 | 403 403  403 403   | 403  ok
      POST /v1/apps/{id}/plan                     401 401  401  401  401 | 403 403  403 403   | 403  ok
      GET  /v1/apps/{id}/history                  401 401  401  401  401 | 403 403  403 403   | ok   ok
      POST /v1/apps/{id}/rollback                 401 401  401  401  401 | 403 403  403 403   | 403  ok
      GET  /v1/jobs                               401 401  401  401  401 | 403 403  403 403   | ok   ok
      POST /v1/jobs                               401 401  401  401  401 | 403 403  403 403   | 403  ok
      GET  /v1/jobs/{id}                          401 401  401  401  401 | 403 403  403 403   | ok   ok
      DELETE /v1/jobs/{id}                        401 401  401  401  401 | 403 403  403 403   | 403  ok
      POST /v1/jobs/{id}/runs                     401 401  401  401  401 | 403 403  403 403   | 403  ok
      POST /v1/jobs/{id}/plan                     401 401  401  401  401 | 403 403  403 403   | 403  ok
      GET  /v1/workloads/tasks                    401 401  401  401  401 | 403 403  403 403   | ok   ok
      POST /v1/workloads/tasks/{id}/kill          401 401  401  401  401 | 403 403  403 403   | 403  ok
      GET  /v1/workloads/why/{id}                 401 401  401  401  401 | 403 403  403 403   | ok   ok
      GET  /v1/workloads/status                   401 401  401  401  401 | 403 403  403 403   | ok   ok
      """;

  static final String JOIN = "join-token-0123456789";
  static final String ADMIN = "admin-token-0123456789";
  static final String VIEWER = "viewer-token-0123456789";
  static final String WEB = "web-token-0123456789ab";
  static final String BATCH = "batch-token-0123456789";
  static final String WRONG = "wrong-token-0123456789";
  static final Pattern PARAM = Pattern.compile("\\{([^}]+)}");

  @TempDir static Path dir;
  static InProcess running;
  static URI uri;
  static Map<Caller, String> tokens = new EnumMap<>(Caller.class);
  static Map<Caller, String> principals = new EnumMap<>(Caller.class);
  static AgentId agentA;
  static AgentId agentB;
  static FrameworkId frameworkB;
  static String joinTokenId;
  static SchedulerClient clientA;
  static SchedulerClient clientB;
  static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void start() throws Exception {
    AllocatorConfig config =
        AllocatorConfig.parse(
            "dataDir: "
                + dir.resolve("allocator")
                + "\nhost: 127.0.0.1\nport: 0\njoinToken: "
                + JOIN
                + "\nallocationSeed: 42\nprincipals:\n"
                + "  - {name: admin, token: "
                + ADMIN
                + ", roles: ['*'], operator: true}\n"
                + "  - {name: viewer, token: "
                + VIEWER
                + ", viewer: true}\n"
                + "  - {name: web, token: "
                + WEB
                + ", roles: [web]}\n"
                + "  - {name: batch, token: "
                + BATCH
                + ", roles: [batch]}\n");
    running = InProcess.start(config, true);
    uri = running.server().uri();
    String builtIn =
        running.server().credentials().byName(Credentials.FRAMEWORKS).orElseThrow().token();
    AgentClient agents = new AgentClient(uri, JOIN);
    AgentRegistered a = agents.register(registration("agent-a"));
    AgentRegistered b = agents.register(registration("agent-b"));
    agentA = a.agentId();
    agentB = b.agentId();
    tokens.put(Caller.NONE, null);
    tokens.put(Caller.WRONG_TOKEN, WRONG);
    tokens.put(Caller.JOIN_TOKEN, JOIN);
    tokens.put(Caller.AGENT_A, a.agentToken());
    tokens.put(Caller.AGENT_B, b.agentToken());
    tokens.put(Caller.FRAMEWORK_A, WEB);
    tokens.put(Caller.FORBIDDEN_ROLE, WEB);
    tokens.put(Caller.FRAMEWORK_B, BATCH);
    tokens.put(Caller.BUILT_IN, builtIn);
    tokens.put(Caller.VIEWER, VIEWER);
    tokens.put(Caller.ADMIN, ADMIN);
    principals.put(Caller.FRAMEWORK_A, "web");
    principals.put(Caller.FORBIDDEN_ROLE, "web");
    principals.put(Caller.FRAMEWORK_B, "batch");
    principals.put(Caller.BUILT_IN, Credentials.FRAMEWORKS);
    principals.put(Caller.VIEWER, "viewer");
    principals.put(Caller.ADMIN, "admin");
    clientA = subscribed(WEB, "framework-a", "web");
    clientB = subscribed(BATCH, "framework-b", "batch");
    frameworkB = clientB.frameworkId();
    clientB.put("k", JsonNodeFactory.instance.objectNode().put("v", 1));
    joinTokenId = new OperatorClient(uri, ADMIN).issueJoinToken(new JoinTokenRequest(null)).id();
  }

  @AfterAll
  static void stop() {
    for (SchedulerClient c : new SchedulerClient[] {clientA, clientB}) {
      if (c != null) {
        c.close();
      }
    }
    if (running != null) {
      running.close();
    }
  }

  static RegisterAgent registration(String hostname) {
    return new RegisterAgent(
        null,
        new AgentInfo(
            hostname,
            Os.LINUX,
            "amd64",
            ResourcePool.unreserved(Resources.parse("cpus:1;mem:256")),
            Map.of(),
            Set.of("cgroups-v1"),
            null,
            "matrix"),
        List.of());
  }

  static SchedulerClient subscribed(String token, String name, String role) {
    SchedulerClient c = new SchedulerClient(uri, token);
    c.subscribe(
        new FrameworkInfo(null, name, null, Set.of(role), null, 600_000L, null),
        new NdjsonStream.Listener<>() {
          @Override
          public void event(SchedulerEvent event) {}

          @Override
          public void closed(Optional<Throwable> cause) {}
        });
    await().atMost(Duration.ofSeconds(10)).until(() -> c.frameworkId() != null);
    return c;
  }

  /** One row: "METHOD path" → the verdict per caller. */
  static Map<String, Map<Caller, String>> table() {
    Map<String, Map<Caller, String>> rows = new LinkedHashMap<>();
    for (String line : TABLE.strip().split("\n")) {
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#")) {
        continue;
      }
      List<String> cells = new ArrayList<>(List.of(l.replace("|", " ").split("\\s+")));
      String route = cells.remove(0) + " " + cells.remove(0);
      assertThat(cells).as("verdicts of " + route).hasSize(Caller.values().length);
      Map<Caller, String> row = new EnumMap<>(Caller.class);
      for (Caller c : Caller.values()) {
        String v = cells.get(c.ordinal());
        assertThat(v).as(route + " " + c).isIn("ok", "401", "403");
        row.put(c, v);
      }
      assertThat(rows.put(route, row)).as("two rows for " + route).isNull();
    }
    return rows;
  }

  /** "METHOD path" of every operation in the document the allocator serves. */
  static Set<String> documented() throws Exception {
    HttpResponse<byte[]> r =
        HTTP.send(
            HttpRequest.newBuilder(uri.resolve(Paths.OPENAPI)).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    JsonNode paths = Codec.JSON.mapper().readTree(r.body()).get("paths");
    Set<String> out = new TreeSet<>();
    for (Iterator<String> p = paths.fieldNames(); p.hasNext(); ) {
      String path = p.next();
      for (Iterator<String> m = paths.get(path).fieldNames(); m.hasNext(); ) {
        String method = m.next();
        if (Set.of("get", "put", "post", "delete", "patch").contains(method)) {
          out.add(method.toUpperCase(Locale.ROOT) + " " + path);
        }
      }
    }
    return out;
  }

  @Test
  void everyDocumentedRouteHasARowAndEveryRowADocumentedRoute() throws Exception {
    Set<String> documented = documented();
    Set<String> rows = table().keySet();
    Set<String> missing = new TreeSet<>(documented);
    missing.removeAll(rows);
    assertThat(missing)
        .as("documented routes without a row in TABLE: decide who may call them")
        .isEmpty();
    Set<String> stray = new TreeSet<>(rows);
    stray.removeAll(documented);
    assertThat(stray).as("rows for routes the OpenAPI document does not list").isEmpty();
  }

  @Test
  void theBuiltInFrameworksSubscribeAsTheirOwnPrincipal() {
    OperatorClient admin = new OperatorClient(uri, ADMIN);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                admin.frameworks().stream()
                        .filter(f -> f.principal().equals(Credentials.FRAMEWORKS) && f.connected())
                        .count()
                    == 2);
    assertThat(
            admin.frameworks().stream()
                .filter(f -> f.principal().equals(Credentials.FRAMEWORKS))
                .flatMap(f -> f.info().roles().stream()))
        .containsExactlyInAnyOrder("services", "jobs");
    assertThat(running.server().credentials().byName(Credentials.FRAMEWORKS).orElseThrow().token())
        .isNotEqualTo(ADMIN);
  }

  @Test
  void theCliReadsWithAViewersTokenAndSaysWhyAChangeIsRefused() {
    Map<String, String> env =
        Map.of(
            "STRATA_URL", uri.toString(),
            "STRATA_TOKEN", VIEWER,
            "STRATA_CONFIG", dir.resolve("none.yaml").toString(),
            "STRATA_DATA_DIR", dir.resolve("nodata").toString());
    Cli.Result nodes = Cli.run(env, "nodes");
    assertThat(nodes.code()).as(nodes.toString()).isZero();
    // Agent A: the matrix revokes agent B, and test methods run in any order.
    assertThat(nodes.out()).contains("agent-a");
    Cli.Result drain = Cli.run(env, "drain", agentA.value());
    assertThat(drain.code()).as(drain.toString()).isEqualTo(ExitCodes.UNAUTHORIZED);
    assertThat(drain.err())
        .contains("principal viewer may not drain_agents on agent " + agentA.value())
        .contains("principal allowed to")
        .doesNotContain("check the token");
  }

  /** Refusals first; then what is allowed, destructive calls last. */
  @TestFactory
  Stream<DynamicTest> everyRouteForEveryCaller() {
    List<DynamicTest> refused = new ArrayList<>();
    List<DynamicTest> allowed = new ArrayList<>();
    List<DynamicTest> destructive = new ArrayList<>();
    table()
        .forEach(
            (route, row) ->
                row.forEach(
                    (caller, verdict) -> {
                      DynamicTest t =
                          DynamicTest.dynamicTest(
                              route + " as " + caller + " → " + verdict,
                              () -> check(route, caller, verdict));
                      if (!verdict.equals("ok")) {
                        refused.add(t);
                      } else if (destructive(route)) {
                        destructive.add(t);
                      } else {
                        allowed.add(t);
                      }
                    }));
    // Revoking agent B and tearing down framework B last: nothing after needs them.
    destructive.sort(
        Comparator.comparing(
            t -> t.getDisplayName().contains("teardown") || t.getDisplayName().contains("revoke")));
    return Stream.of(refused, allowed, destructive).flatMap(List::stream);
  }

  static boolean destructive(String route) {
    return route.startsWith("DELETE ")
        || route.endsWith("/teardown")
        || route.endsWith("/drain")
        || route.endsWith("/reactivate")
        || route.endsWith("/revoke")
        || route.endsWith("/kill");
  }

  static void check(String route, Caller caller, String verdict) throws Exception {
    String key = route + " " + caller;
    Answer a = call(route, caller);
    boolean holds =
        switch (verdict) {
          case "ok" -> a.status != 401 && a.status != 403 && a.status != 500;
          case "401" -> a.status == 401 && a.problem;
          default -> a.status == 403 && a.problem && a.body.contains(principals.get(caller));
        };
    String found = "got " + a.status + " " + a.body;
    assertThat(holds).as(key + " should be " + verdict + "; " + found).isTrue();
  }

  record Answer(int status, boolean problem, String body) {}

  static Answer call(String route, Caller caller) throws Exception {
    String method = route.substring(0, route.indexOf(' '));
    String template = route.substring(route.indexOf(' ') + 1);
    Matcher m = PARAM.matcher(template);
    StringBuilder path = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(path, Matcher.quoteReplacement(fixture(template, m.group(1))));
    }
    m.appendTail(path);
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri.resolve(path.toString())).timeout(Duration.ofSeconds(20));
    String token = tokens.get(caller);
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    byte[] body = body(method, template, caller);
    if (template.equals(Paths.SCHEDULER) && caller != Caller.FORBIDDEN_ROLE) {
      b.header(Paths.STREAM_ID_HEADER, "not-the-current-stream");
    }
    b.header("Content-Type", "application/json");
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body));
    // Streams (an agent's, a subscription's) stay open: read the body only of a refusal.
    HttpResponse<InputStream> r =
        HTTP.sendAsync(b.build(), HttpResponse.BodyHandlers.ofInputStream())
            .get(20, TimeUnit.SECONDS);
    try (InputStream in = r.body()) {
      String type = r.headers().firstValue("Content-Type").orElse("");
      boolean problem = type.startsWith(Problem.MEDIA_TYPE);
      String text =
          r.statusCode() >= 400
              ? new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
              : "";
      return new Answer(r.statusCode(), problem, text);
    }
  }

  /** The value of a path parameter: always B's object, or an id nobody has. */
  static String fixture(String template, String name) {
    return switch (name) {
      case "agentId" -> agentB.value();
      case "frameworkId" -> frameworkB.value();
      case "key" -> "k";
      case "role" -> "batch";
      default -> template.startsWith(Paths.JOIN_TOKENS) ? joinTokenId : "no-such-" + name;
    };
  }

  static byte[] body(String method, String template, Caller caller) {
    if (method.equals("GET") || method.equals("DELETE")) {
      return null;
    }
    Object value =
        switch (template) {
          case Paths.AGENT_REGISTER ->
              registration("agent-new-" + caller.name().toLowerCase(Locale.ROOT));
          case Paths.SCHEDULER ->
              caller == Caller.FORBIDDEN_ROLE
                  ? new SchedulerCall.Subscribe(
                      new FrameworkInfo(null, "sneaky", null, Set.of("batch"), null, null, null),
                      Set.of())
                  : new SchedulerCall.Reconcile(frameworkB, List.of());
          default ->
              template.startsWith(Paths.ROLES)
                  ? Map.of("weight", 2.0)
                  : template.contains("/store/") ? Map.of("v", 2) : Map.of();
        };
    return Codec.JSON.encodeBytes(value);
  }
}
