package io.strata.allocator.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.api.client.Paths;
import io.strata.api.json.Codec;
import io.strata.api.json.Problem;
import io.strata.api.json.Violation;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Raw HTTP: every failure is problem+json with a reason, never a stack trace. */
class HttpErrorsTest {
  @TempDir static Path dir;
  static TestAllocator allocator;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    allocator = new TestAllocator(dir, "maxRequestBytes: 65536\n").start();
  }

  @AfterAll
  static void stop() {
    allocator.close();
  }

  record Answer(int status, String contentType, String body) {
    Problem problem() {
      assertThat(contentType).startsWith(Problem.MEDIA_TYPE);
      assertThat(body).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain(".java:");
      Problem p = Codec.JSON.decode(body, Problem.class);
      assertThat(p.status()).isEqualTo(status);
      return p;
    }
  }

  static Answer send(String method, String path, String token, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(allocator.uri() + path));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
  }

  @Test
  void unknownRoutesAndMethodsAreProblems() throws Exception {
    Answer a = send("GET", "/v1/nothing-here", TestAllocator.ADMIN, null);
    assertThat(a.status()).isEqualTo(404);
    assertThat(a.problem().detail()).contains("/v1/nothing-here");
    Answer m = send("DELETE", Paths.STATE, TestAllocator.ADMIN, null);
    assertThat(m.status()).isEqualTo(405);
    m.problem();
  }

  @Test
  void aSubscriptionMaySuppressOnlyItsOwnRoles() throws Exception {
    String body =
        """
        {"type":"SUBSCRIBE","framework":{"name":"f","roles":["web"]},
         "suppressedRoles":["web","batch"]}
        """;
    Answer a = send("POST", Paths.SCHEDULER, TestAllocator.WEB, body);
    assertThat(a.status()).isEqualTo(400);
    assertThat(a.problem().violations())
        .extracting(Violation::field)
        .containsExactly("suppressedRoles[batch]");
  }

  @Test
  void invalidBodiesListEveryViolationWithItsPath() throws Exception {
    String body =
        """
        {"agentId":"bad id!","info":{"hostname":"","os":"plan9","arch":"amd64",
         "resources":{"unreserved":{"millicpus":-1}}},"tasks":[null]}
        """;
    Answer a = send("POST", Paths.AGENT_REGISTER, TestAllocator.JOIN, body);
    assertThat(a.status()).isEqualTo(400);
    assertThat(a.problem().violations())
        .extracting(Violation::field)
        .contains(
            "agentId",
            "info.hostname",
            "info.os",
            "info.resources.unreserved.millicpus",
            "tasks[0]");
    Answer syntax = send("POST", Paths.SCHEDULER, TestAllocator.WEB, "{\"type\":");
    assertThat(syntax.status()).isEqualTo(400);
    assertThat(syntax.problem().detail()).contains("syntax");
    Answer empty = send("POST", Paths.SCHEDULER, TestAllocator.WEB, null);
    assertThat(empty.status()).isEqualTo(400);
    empty.problem();
  }

  @Test
  void oversizedBodiesAreRefused() throws Exception {
    char[] big = new char[70_000];
    Arrays.fill(big, 'x');
    Answer a =
        send(
            "POST",
            Paths.AGENT_REGISTER,
            TestAllocator.JOIN,
            "{\"x\":\"" + new String(big) + "\"}");
    assertThat(a.status()).isEqualTo(413);
    a.problem();
  }

  @Test
  void everyApiNeedsItsOwnKindOfToken() throws Exception {
    assertThat(send("POST", Paths.AGENT_REGISTER, null, "{}").status()).isEqualTo(401);
    assertThat(send("POST", Paths.AGENT_REGISTER, TestAllocator.ADMIN, "{}").problem().status())
        .isEqualTo(401);
    assertThat(send("POST", Paths.SCHEDULER, TestAllocator.JOIN, "{}").problem().status())
        .isEqualTo(401);
    assertThat(send("GET", Paths.STATE, "wrong-token-0123456789", null).problem().status())
        .isEqualTo(401);
    Answer notOperator = send("GET", Paths.STATE, TestAllocator.WEB, null);
    assertThat(notOperator.status()).isEqualTo(403);
    assertThat(notOperator.problem().detail()).contains("principal web may not view on view state");
    assertThat(send("GET", Paths.METRICS, null, null).status()).isEqualTo(401);
    assertThat(send("GET", Paths.HEALTH, null, null).status()).isEqualTo(200);
    assertThat(send("GET", Paths.OPENAPI, null, null).status()).isEqualTo(200);
  }

  @Test
  void schedulerCallsWithoutAStreamIdSayWhichHeaderIsMissing() throws Exception {
    Answer a =
        send(
            "POST",
            Paths.SCHEDULER,
            TestAllocator.WEB,
            "{\"type\":\"REVIVE\",\"frameworkId\":\"f1\"}");
    assertThat(a.status()).isEqualTo(400);
    assertThat(a.problem().violations())
        .extracting(Violation::field)
        .containsExactly(Paths.STREAM_ID_HEADER);
  }
}
