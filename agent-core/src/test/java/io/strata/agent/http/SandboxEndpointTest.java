package io.strata.agent.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.agent.containerizer.ContainerId;
import io.strata.agent.containerizer.Containerizer;
import io.strata.agent.core.Backoff;
import io.strata.agent.fake.ScriptedContainerizer;
import io.strata.agent.files.PortableSandboxFiles;
import io.strata.agent.health.HealthChecker;
import io.strata.agent.status.StatusOutbox;
import io.strata.agent.tasks.Sandboxes;
import io.strata.agent.tasks.TaskStore;
import io.strata.agent.tasks.Tasks;
import io.strata.api.FrameworkId;
import io.strata.api.Resources;
import io.strata.api.TaskId;
import io.strata.api.agent.AccessToken;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SandboxEndpointTest {
  @TempDir Path work;
  AgentHttpServer server;
  StatusOutbox outbox;
  HealthChecker health;
  final HttpClient client = HttpClient.newHttpClient();
  final ContainerId id = ContainerId.of("web-0123456789ab");
  static final Instant NOW = Instant.parse("2026-12-07T22:00:00Z");
  final KeyPair allocatorKey = ed25519();
  String token =
      AccessToken.sign(
          new AccessToken.Claims(
              "ops", "operator", NOW.getEpochSecond(), NOW.getEpochSecond() + 300),
          allocatorKey.getPrivate());

  static KeyPair ed25519() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @BeforeEach
  void start() throws Exception {
    Sandboxes sandboxes = new Sandboxes(work.resolve("sandboxes"), 1 << 20, 2);
    Path sandbox = sandboxes.create(id, new FrameworkId("fw"), new TaskId("web"));
    Files.writeString(sandbox.resolve("stdout"), "0123456789");
    Files.createDirectories(sandbox.resolve("logs"));
    Files.writeString(work.resolve("secret"), "top secret");
    Files.createSymbolicLink(sandbox.resolve("escape"), work.resolve("secret"));
    outbox =
        new StatusOutbox(
            work.resolve("outbox"),
            new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1)),
            s -> {});
    health = new HealthChecker("127.0.0.1");
    Tasks tasks =
        new Tasks(
            new Tasks.Settings("h", "nobody", List.of(), () -> Resources.EMPTY),
            new TaskStore(work.resolve("meta")),
            outbox,
            sandboxes,
            List.<Containerizer>of(new ScriptedContainerizer(new ScriptedContainerizer.Host())),
            health,
            Clock.systemUTC(),
            Optional::empty);
    server =
        new AgentHttpServer(
            "127.0.0.1",
            0,
            tasks,
            sandboxes.root(),
            new PortableSandboxFiles(),
            new SignedAccess(
                () -> Optional.of(allocatorKey.getPublic()), Clock.fixed(NOW, ZoneOffset.UTC)),
            AgentHttpServer.Limits.DEFAULT);
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
    outbox.close();
    health.close();
  }

  HttpResponse<String> get(String rawPath) throws Exception {
    return get(rawPath, token);
  }

  HttpResponse<String> get(String rawPath, String bearer) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + rawPath));
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesFilesRangesAndListings() throws Exception {
    String base = "/v1/sandboxes/" + id + "/files/";
    assertThat(get(base + "stdout").body()).isEqualTo("0123456789");
    assertThat(get(base + "stdout?offset=4&length=3").body()).isEqualTo("456");
    HttpResponse<String> listing = get(base);
    assertThat(listing.statusCode()).isEqualTo(200);
    assertThat(listing.body()).contains("\"name\":\"stdout\"").contains("\"name\":\"logs\"");
    assertThat(get(base + "missing").statusCode()).isEqualTo(404);
    assertThat(get("/health").body()).isEqualTo("ok\n");
    assertThat(get("/v1/tasks").body()).isEqualTo("[]");
  }

  @Test
  void listsTheSandboxesOfEndedTasksByTaskId() throws Exception {
    HttpResponse<String> all = get("/v1/sandboxes");
    assertThat(all.statusCode()).isEqualTo(200);
    assertThat(all.body())
        .contains("\"taskId\":\"web\"")
        .contains("\"containerId\":\"" + id + "\"")
        .contains("\"held\":false")
        .contains("\"files\":\"/v1/sandboxes/" + id + "/files/\"");
    assertThat(get("/v1/sandboxes?taskId=web").body()).contains(id.value());
    assertThat(get("/v1/sandboxes?taskId=db").body()).isEqualTo("[]");
    assertThat(get("/v1/sandboxes/.owners/files/").statusCode()).isEqualTo(400);
  }

  @Test
  void refusesEveryWayOutOfTheSandbox() throws Exception {
    String base = "/v1/sandboxes/" + id + "/files/";
    for (String escape :
        List.of(
            "../../secret",
            "..%2F..%2Fsecret",
            "%2e%2e/%2e%2e/secret",
            "escape",
            "logs/../../../secret")) {
      HttpResponse<String> r = get(base + escape);
      assertThat(r.statusCode()).as(escape).isEqualTo(403);
      assertThat(r.body()).as(escape).contains("leaves the sandbox").doesNotContain("top secret");
      assertThat(r.headers().firstValue("Content-Type")).contains("application/problem+json");
    }
    assertThat(get("/v1/sandboxes/..%2F..%2Fetc/files/passwd").statusCode()).isIn(400, 404);
    assertThat(get("/v1/sandboxes/x..y/files/passwd").statusCode()).isEqualTo(404);
  }

  @Test
  void refusesAbsolutePathsAndNul() throws Exception {
    String base = "/v1/sandboxes/" + id + "/files/";
    assertThat(get(base + "%2Fetc%2Fpasswd").statusCode()).isEqualTo(403);
    assertThat(get(base + "a%00b").statusCode()).isEqualTo(403);
    assertThat(get(base + "logs/./x").statusCode()).isEqualTo(404);
  }

  @Test
  void everyRouteButHealthNeedsAValidToken() throws Exception {
    String forged =
        AccessToken.sign(
            new AccessToken.Claims(
                "ops", "operator", NOW.getEpochSecond(), NOW.getEpochSecond() + 300),
            ed25519().getPrivate());
    String expired =
        AccessToken.sign(
            new AccessToken.Claims(
                "ops", "operator", NOW.getEpochSecond() - 600, NOW.getEpochSecond() - 1),
            allocatorKey.getPrivate());
    for (String route :
        List.of(
            "/v1/tasks",
            "/v1/tasks/" + id + "/usage",
            "/v1/sandboxes",
            "/v1/sandboxes/" + id + "/files/",
            "/v1/sandboxes/" + id + "/files/stdout",
            "/nowhere")) {
      for (String bearer : new String[] {null, "wrong", forged, expired}) {
        HttpResponse<String> r = get(route, bearer);
        assertThat(r.statusCode()).as(route + " " + bearer).isEqualTo(401);
        assertThat(r.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(r.headers().firstValue("WWW-Authenticate")).isPresent();
        assertThat(r.body()).doesNotContain("0123456789");
      }
    }
    assertThat(get("/health", null).statusCode()).isEqualTo(200);
    assertThat(get("/v1/sandboxes/" + id + "/files/stdout").body()).isEqualTo("0123456789");
  }
}
