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
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
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

  /** "no route" 404s and 405s: the API does not know the operation (as opposed to the id). */
  static boolean unknownOperation(WorkloadsApi.Response r) {
    return r.status() == 405
        || (r.status() == 404 && ((Problem) r.body()).detail().startsWith("no route"));
  }

  @Test
  void theRouteListIsExactlyWhatTheApiAnswers() {
    for (String route : WorkloadsApi.ROUTES) {
      String[] r = route.split(" ");
      assertThat(unknownOperation(api.handle(r[0], r[1].replace("{id}", "x1"), bytes("{}"))))
          .as(route)
          .isFalse();
    }
    List<Pattern> listed =
        WorkloadsApi.ROUTES.stream()
            .map(r -> Pattern.compile(Pattern.quote(r).replace("{id}", "\\E[^/]+\\Q")))
            .toList();
    int refused = 0;
    for (String prefix : WorkloadsApi.PREFIXES) {
      for (String method : List.of("GET", "POST", "PUT", "DELETE", "PATCH")) {
        for (String tail :
            List.of(
                "",
                "/x1",
                "/x1/instances",
                "/x1/runs",
                "/x1/plan",
                "/x1/history",
                "/x1/rollback",
                "/tasks/x1/kill",
                "/why/x1",
                "/a/b/c")) {
          String route = method + " " + prefix + tail;
          if (listed.stream().noneMatch(p -> p.matcher(route).matches())) {
            assertThat(unknownOperation(api.handle(method, prefix + tail, bytes("{}"))))
                .as(route + " is not listed, so it must be 404 no route or 405")
                .isTrue();
            refused++;
          }
        }
      }
    }
    assertThat(refused).isGreaterThan(50);
  }

  @Test
  void aPlanMustNameTheAppOfItsPathAndARollbackAVersionNumber() {
    WorkloadsApi.Response r =
        api.handle(
            "POST",
            "/v1/apps/other/plan",
            bytes("{\"id\": \"web\", \"command\": \"x\", \"resources\": {\"mem\": \"16Mi\"}}"));
    assertThat(r.status()).isEqualTo(400);
    assertThat(((Problem) r.body()).violations())
        .extracting(Violation::field, Violation::message)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "id", "is 'web' but the path names 'other' (they must agree)"));
    WorkloadsApi.Response bad =
        api.handle("POST", "/v1/apps/web/rollback", bytes("{\"toVersion\": \"two\"}"));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(((Problem) bad.body()).violations())
        .extracting(Violation::field)
        .containsExactly("toVersion");
    assertThat(api.handle("POST", "/v1/apps/web/rollback", bytes("{\"toVersion\": 2}")).status())
        .isEqualTo(503);
    assertThat(api.handle("POST", "/v1/apps/web/rollback", null).status()).isEqualTo(503);
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
