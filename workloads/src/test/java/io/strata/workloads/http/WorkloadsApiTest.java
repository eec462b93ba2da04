package io.strata.workloads.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.api.json.Problem;
import io.strata.api.json.Violation;
import io.strata.testkit.Loopback;
import io.strata.workloads.Workloads;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The API's own answers, with no allocator to subscribe to (frameworks stay unsubscribed). */
class WorkloadsApiTest {
  static Workloads workloads;
  static WorkloadsApi api;

  @BeforeAll
  static void start() {
    workloads =
        Workloads.start(
            Workloads.Config.of(URI.create("http://127.0.0.1:" + Loopback.freePort()), "t", null));
    api = new WorkloadsApi(workloads);
  }

  @AfterAll
  static void stop() {
    workloads.close();
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void badSpecsAreRefusedWithEveryFieldPath() {
    WorkloadsApi.Response r =
        api.handle(
            "POST",
            "/v1/apps",
            bytes("{\"id\": \"web\", \"instances\": -1, \"resources\": {\"cpus\": \"-2\"}}"));
    assertThat(r.status()).isEqualTo(400);
    assertThat(((Problem) r.body()).violations())
        .extracting(Violation::field)
        .contains("instances", "resources.cpus", "command");
  }

  @Test
  void unknownRoutesAndMethods() {
    assertThat(api.handle("GET", "/v1/apps/x/y/z", null).status()).isEqualTo(404);
    assertThat(api.handle("PATCH", "/v1/apps", null).status()).isEqualTo(405);
    assertThat(api.handle("GET", "/v1/workloads/why/nothing-here", null).status()).isEqualTo(404);
  }

  @Test
  void actingBeforeSubscribingIsUnavailable() {
    WorkloadsApi.Response r =
        api.handle(
            "POST",
            "/v1/jobs",
            bytes(
                "{\"kind\": \"job\", \"id\": \"j\", \"command\": \"true\", \"resources\": {\"mem\": \"16Mi\"}}"));
    assertThat(r.status()).isEqualTo(503);
    assertThat(((Problem) r.body()).retryable()).isTrue();
  }

  @Test
  void theStandaloneServerWantsAToken() throws Exception {
    try (WorkloadsHttpServer server =
        new WorkloadsHttpServer(api, new InetSocketAddress(Loopback.HOST, 0), Set.of("secret"))) {
      URI base = URI.create("http://" + Loopback.HOST + ":" + server.address().getPort());
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> denied =
          http.send(
              HttpRequest.newBuilder(base.resolve("/v1/apps")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(denied.statusCode()).isEqualTo(401);
      HttpResponse<String> ok =
          http.send(
              HttpRequest.newBuilder(base.resolve("/v1/apps"))
                  .header("Authorization", "Bearer secret")
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(ok.body()).isEqualTo("[]");
    }
  }
}
