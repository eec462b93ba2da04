package io.strata.allocator.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.api.client.Paths;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Requests that break HTTP itself, sent over raw sockets to the real server on 127.0.0.1: every
 * answer, including those Jetty gives before a route sees the request, is problem+json; a body cut
 * short never reaches a handler.
 */
class ProtocolErrorsTest {
  @TempDir static Path dir;
  static TestAllocator allocator;
  static int port;

  @BeforeAll
  static void start() {
    allocator = new TestAllocator(dir, "maxRequestBytes: 65536\n").start();
    port = allocator.server.port();
  }

  @AfterAll
  static void stop() {
    allocator.close();
  }

  static String get(String target, String... headers) {
    return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + String.join("", headers) + "\r\n";
  }

  static String auth() {
    return "Authorization: Bearer " + TestAllocator.ADMIN + "\r\n";
  }

  static Stream<Arguments> brokenRequests() {
    String longName = "x".repeat(10_000);
    return Stream.of(
        Arguments.of("bad percent-encoding", get("/v1/agents/%zz", auth()), 400),
        Arguments.of("truncated percent-encoding", get("/v1/agents/%4", auth()), 400),
        Arguments.of("encoded NUL in the path", get("/v1/agents/a%00b", auth()), 400),
        Arguments.of("raw NUL in the path", get("/v1/agents/a\0b", auth()), 400),
        Arguments.of("encoded slash", get("/v1/agents/a%2Fb", auth()), 404),
        Arguments.of("encoded dot-dot", get("/v1/agents/%2e%2e/%2e%2e/health", auth()), 400),
        Arguments.of("dot-dot above the root", get("/../../etc/passwd"), 400),
        Arguments.of("%u escape in a path parameter", get("/v1/agents/%u0041", auth()), 400),
        Arguments.of(
            "%u escape in a store key",
            get(
                "/v1/frameworks/f1/store/%u0041",
                "Authorization: Bearer " + TestAllocator.WEB + "\r\n"),
            400),
        Arguments.of("bad UTF-8 in the path", get("/v1/agents/%C3%28", auth()), 400),
        Arguments.of("headers over the limit", get("/health", "X-Big: " + longName + "\r\n"), 431),
        Arguments.of("request line over the limit", get("/health?q=" + longName), 414),
        Arguments.of("no Host header", "GET /health HTTP/1.1\r\n\r\n", 400),
        Arguments.of("two Host headers", get("/health", "Host: other\r\n"), 400),
        Arguments.of("bad Host", get("/health").replace("Host: 127.0.0.1", "Host: a b"), 400),
        Arguments.of("unknown HTTP version", "GET /health HTTP/7.1\r\nHost: x\r\n\r\n", 505),
        Arguments.of("HTTP/0.9", "GET /health\r\n\r\n", 505),
        Arguments.of("garbage request line", "\u0001\u0002 nonsense\r\n\r\n", 400),
        Arguments.of("header without colon", get("/health", "NoColonHere\r\n"), 400),
        Arguments.of(
            "bad Content-Length",
            "POST /v1/join-tokens HTTP/1.1\r\nHost: x\r\n" + auth() + "Content-Length: abc\r\n\r\n",
            400),
        Arguments.of(
            "two Content-Lengths",
            "POST /v1/join-tokens HTTP/1.1\r\nHost: x\r\n"
                + auth()
                + "Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
            400),
        Arguments.of(
            "Content-Length with chunked",
            "POST /v1/join-tokens HTTP/1.1\r\nHost: x\r\n"
                + auth()
                + "Content-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
            400),
        Arguments.of(
            "unknown transfer coding",
            "POST /v1/join-tokens HTTP/1.1\r\nHost: x\r\n"
                + auth()
                + "Transfer-Encoding: gzip\r\n\r\n",
            400),
        Arguments.of("unsupported method", "BREW /health HTTP/1.1\r\nHost: x\r\n\r\n", 405),
        Arguments.of("TRACE", "TRACE /health HTTP/1.1\r\nHost: x\r\n\r\n", 405),
        Arguments.of("HTTP/2 preface on HTTP/1.1", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 426));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("brokenRequests")
  void everyBrokenRequestIsAnsweredWithAProblem(String name, String request, int status)
      throws Exception {
    RawHttp.Answer a = RawHttp.exchange(port, request);
    assertThat(a.status()).as("%s: %s", name, a).isEqualTo(status);
    a.problem();
  }

  @Test
  void tlsOnThePlainPortIsAnsweredWithAProblem() throws Exception {
    // The start of a TLS ClientHello.
    byte[] hello = {0x16, 0x03, 0x01, 0x00, (byte) 0xa5, 0x01, 0x00, 0x00, (byte) 0xa1, 0x03, 0x03};
    RawHttp.Answer a = RawHttp.exchange(port, hello, true, 5000);
    assertThat(a.status()).as("%s", a).isEqualTo(400);
    a.problem();
  }

  @Test
  void aBodyShorterThanItsContentLengthNeverReachesTheHandler() throws Exception {
    int before = tokens();
    String head =
        "POST "
            + Paths.JOIN_TOKENS
            + " HTTP/1.1\r\nHost: x\r\n"
            + auth()
            + "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n";
    RawHttp.Answer a =
        RawHttp.exchange(port, (head + "{\"a\":").getBytes(StandardCharsets.UTF_8), true, 5000);
    // The client only half-closed: it still reads, and is told why.
    assertThat(a.status()).as("%s", a).isEqualTo(400);
    assertThat(a.problem().detail()).contains("body");
    // An empty JSON object is a valid request: cut to "{}" it would have issued a token.
    RawHttp.Answer b =
        RawHttp.exchange(port, (head + "{}").getBytes(StandardCharsets.UTF_8), true, 5000);
    assertThat(b.status()).as("%s", b).isEqualTo(400);
    assertThat(tokens()).isEqualTo(before);
  }

  @Test
  void aBodyThatStallsIsTimedOutAndNeverReachesTheHandler() throws Exception {
    int before = tokens();
    String head =
        "POST "
            + Paths.JOIN_TOKENS
            + " HTTP/1.1\r\nHost: x\r\n"
            + auth()
            + "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{}";
    // Jetty's idle timeout (30 s) ends the wait for the rest of the body.
    RawHttp.Answer a = RawHttp.exchange(port, head.getBytes(StandardCharsets.UTF_8), false, 60_000);
    assertThat(a.status()).as("%s", a).isEqualTo(408);
    assertThat(a.problem().detail()).contains("body");
    assertThat(tokens()).isEqualTo(before);
  }

  @Test
  void anInvalidChunkIsAProblemAndNeverReachesTheHandler() throws Exception {
    int before = tokens();
    String head =
        "POST "
            + Paths.JOIN_TOKENS
            + " HTTP/1.1\r\nHost: x\r\n"
            + auth()
            + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
    for (String chunks : new String[] {"2\r\n{}\r\nzz\r\n", "5\r\n{}\r\n0\r\n\r\n", "2\r\n{}"}) {
      RawHttp.Answer a =
          RawHttp.exchange(port, (head + chunks).getBytes(StandardCharsets.UTF_8), true, 5000);
      assertThat(a.status()).as("%s: %s", chunks, a).isEqualTo(400);
      a.problem();
    }
    assertThat(tokens()).isEqualTo(before);
  }

  @Test
  void aValidRawRequestStillWorks() throws Exception {
    String body = "{}";
    RawHttp.Answer a =
        RawHttp.exchange(
            port,
            "POST "
                + Paths.JOIN_TOKENS
                + " HTTP/1.1\r\nHost: x\r\n"
                + auth()
                + "Content-Type: application/json\r\nConnection: close\r\nContent-Length: "
                + body.length()
                + "\r\n\r\n"
                + body);
    assertThat(a.status()).as("%s", a).isEqualTo(201);
    assertThat(a.contentType()).startsWith("application/json");
  }

  static int tokens() throws Exception {
    RawHttp.Answer a =
        RawHttp.exchange(port, get(Paths.JOIN_TOKENS, auth(), "Connection: close\r\n"));
    assertThat(a.status()).isEqualTo(200);
    return io.strata.api.json.Codec.JSON.mapper().readTree(a.body()).size();
  }
}
