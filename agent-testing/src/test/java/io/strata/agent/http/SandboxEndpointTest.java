package io.strata.agent.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.agent.containerizer.ContainerId;
import io.strata.agent.files.PortableSandboxFiles;
import io.strata.agent.testing.TestEndpoint;
import io.strata.api.agent.AccessToken;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SandboxEndpointTest {
  @TempDir Path work;
  TestEndpoint endpoint;
  final HttpClient client = HttpClient.newHttpClient();
  static final Instant NOW = Instant.parse("2026-12-07T22:00:00Z");
  final KeyPair allocatorKey = TestEndpoint.ed25519();
  ContainerId id;
  String token;

  @BeforeEach
  void start() throws Exception {
    endpoint =
        new TestEndpoint(
            work,
            new PortableSandboxFiles(),
            AgentHttpServer.Limits.DEFAULT,
            Clock.fixed(NOW, ZoneOffset.UTC),
            allocatorKey);
    id = endpoint.id;
    token = endpoint.token;
    Path sandbox = endpoint.sandbox;
    Files.writeString(sandbox.resolve("stdout"), "0123456789");
    Files.createDirectories(sandbox.resolve("logs"));
    Files.writeString(work.resolve("secret"), "top secret");
    Files.createSymbolicLink(sandbox.resolve("escape"), work.resolve("secret"));
  }

  @AfterEach
  void stop() {
    endpoint.close();
  }

  HttpResponse<String> get(String rawPath) throws Exception {
    return get(rawPath, token);
  }

  HttpResponse<String> get(String rawPath, String bearer) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.server.port() + rawPath));
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
            TestEndpoint.ed25519().getPrivate());
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
