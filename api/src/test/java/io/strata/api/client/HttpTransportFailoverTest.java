package io.strata.api.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.strata.testkit.Loopback;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** HttpTransport over several allocators, each a real HTTP server on loopback. */
class HttpTransportFailoverTest {
  private final List<FakeAllocator> servers = new CopyOnWriteArrayList<>();
  private final List<Duration> pauses = new CopyOnWriteArrayList<>();

  private FakeAllocator server(String name) throws Exception {
    FakeAllocator s = new FakeAllocator(name);
    servers.add(s);
    return s;
  }

  @AfterEach
  void stop() {
    servers.forEach(FakeAllocator::close);
  }

  private HttpTransport transport(String address) {
    Failover failover =
        new Failover(
            AllocatorEndpoints.parse(address),
            new Failover.Policy(5, 6, Duration.ofMillis(100), Duration.ofSeconds(5)),
            pauses::add);
    return new HttpTransport(failover, "t0k", Duration.ofSeconds(10), null);
  }

  private static URI down() {
    return URI.create("http://" + Loopback.HOST + ":" + Loopback.freePort());
  }

  @Test
  void aStandbyRedirectsEveryMethodToTheLeaderBodyIncludedAndTheLeaderIsRemembered()
      throws Exception {
    FakeAllocator leader = server("L").lead();
    FakeAllocator standby = server("S").standbyFor(leader.uri().toString());
    HttpTransport http = transport(standby.uri() + "," + leader.uri());

    String post = http.send("POST", "/v1/x?a=1", Map.of("k", "v"), String.class);
    assertThat(post).isEqualTo("L POST /v1/x?a=1 {'k':'v'} Bearer t0k");
    assertThat(http.send("PUT", "/v1/y", Map.of("n", 2), String.class))
        .isEqualTo("L PUT /v1/y {'n':2} Bearer t0k");
    assertThat(http.send("DELETE", "/v1/z", null, String.class)).startsWith("L DELETE /v1/z");

    // Only the first request went to the standby: the leader was remembered.
    assertThat(standby.received).containsExactly("POST /v1/x?a=1 {\"k\":\"v\"}");
    assertThat(leader.received).hasSize(3);
    assertThat(http.base()).isEqualTo(leader.uri());
  }

  @Test
  void aDeadAllocatorIsSkippedWithoutWaiting() throws Exception {
    FakeAllocator leader = server("L").lead();
    HttpTransport http = transport(down() + "," + leader.uri());

    assertThat(http.send("POST", "/v1/x", Map.of("k", 1), String.class))
        .isEqualTo("L POST /v1/x {'k':1} Bearer t0k");
    assertThat(pauses).isEmpty();
  }

  @Test
  void aStandbyRedirectingToAnUnreachableLeaderIsPassedForTheNextAllocator() throws Exception {
    // An HA group seen from outside: the standby names the leader's private address.
    FakeAllocator leader = server("L").lead();
    FakeAllocator standby = server("S").standbyFor(down().toString());
    HttpTransport http = transport(standby.uri() + "," + leader.uri());

    assertThat(http.send("GET", "/v1/agents", null, String.class)).startsWith("L GET /v1/agents");
    assertThat(standby.received).hasSize(1);
    assertThat(pauses).isEmpty();
  }

  @Test
  void aStandbyWithoutLeaderIsSkippedAndItsRetryAfterHonouredAfterAFullRound() throws Exception {
    FakeAllocator a = server("A").standbyWithoutLeader();
    FakeAllocator b = server("B").standbyWithoutLeader();
    HttpTransport http = transport(a.uri() + "," + b.uri());

    // Both know no leader: a round, then a wait of Retry-After (1 s), until attempts run out.
    assertThatThrownBy(() -> http.send("GET", "/v1/state", null, String.class))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(503));
    assertThat(pauses).containsOnly(Duration.ofSeconds(1)).hasSize(2);
    assertThat(a.received.size() + b.received.size()).isEqualTo(6);

    pauses.clear();
    b.lead();
    assertThat(http.send("GET", "/v1/state", null, String.class)).startsWith("B GET /v1/state");
  }

  @Test
  void aStandbyStillNamingALostLeaderEndsInNoLeaderNotARedirectLoop() throws Exception {
    // Quorum lost: the deposed leader knows no leader (503); a standby still names it (307).
    FakeAllocator deposed = server("D").standbyWithoutLeader();
    FakeAllocator stale = server("S").standbyFor(deposed.uri().toString());
    HttpTransport http = transport(stale.uri() + "," + deposed.uri());

    assertThatThrownBy(() -> http.send("POST", "/v1/x", Map.of(), String.class))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(503);
              assertThat(e.getMessage()).doesNotContain("redirected more than");
            });

    pauses.clear();
    deposed.lead();
    assertThat(http.send("GET", "/v1/state", null, String.class)).startsWith("D GET /v1/state");
  }

  @Test
  void aRedirectLoopIsRefusedAfterTheHopLimitNamingTheHops() throws Exception {
    FakeAllocator a = server("A");
    FakeAllocator b = server("B");
    a.standbyFor(b.uri().toString());
    b.standbyFor(a.uri().toString());
    HttpTransport http = transport(a.uri() + "," + b.uri());

    assertThatThrownBy(() -> http.send("POST", "/v1/x", Map.of(), String.class))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(508);
              assertThat(e.getMessage())
                  .contains("redirected more than 5 times")
                  .contains(a.uri() + " -> " + b.uri() + " -> " + a.uri());
            });
    assertThat(a.received.size() + b.received.size()).isEqualTo(6);
  }

  @Test
  void aSingleUrlBehavesAsBeforeUnreachableAnd503AreReportedAtOnce() throws Exception {
    URI nowhere = down();
    HttpTransport dead = transport(nowhere.toString());
    assertThatThrownBy(() -> dead.send("GET", "/x", null, String.class))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isZero();
              assertThat(e.getMessage()).startsWith("GET " + nowhere + "/x unreachable");
            });

    FakeAllocator standby = server("S").standbyWithoutLeader();
    HttpTransport one = transport(standby.uri().toString());
    assertThatThrownBy(() -> one.send("GET", "/x", null, String.class))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(503));
    assertThat(standby.received).hasSize(1);
    assertThat(pauses).isEmpty();
  }

  @Test
  void aSingleUrlFollowsARedirectAndGoesBackToItWhenThatLeaderDies() throws Exception {
    FakeAllocator first = server("L1").lead();
    FakeAllocator configured = server("S").standbyFor(first.uri().toString());
    HttpTransport http = transport(configured.uri().toString());
    assertThat(http.send("GET", "/v1/a", null, String.class)).startsWith("L1 GET /v1/a");

    // Failover: L1 dies, L2 leads, the configured allocator now redirects there.
    first.close();
    FakeAllocator second = server("L2").lead();
    configured.standbyFor(second.uri().toString());
    assertThat(http.send("POST", "/v1/b", Map.of("k", "v"), String.class))
        .isEqualTo("L2 POST /v1/b {'k':'v'} Bearer t0k");
  }

  @Test
  void aPostThatMayHaveArrivedIsNotSentAgain() throws Exception {
    // A server that takes the connection and closes it without answering.
    try (var socket =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName(Loopback.HOST))) {
      Thread.ofVirtual()
          .start(
              () -> {
                try (var c = socket.accept()) {
                  c.getInputStream().read(new byte[1024]);
                } catch (java.io.IOException e) {
                  // closing is the point
                }
              });
      FakeAllocator other = server("B").lead();
      HttpTransport http =
          transport("http://" + Loopback.HOST + ":" + socket.getLocalPort() + "," + other.uri());
      assertThatThrownBy(() -> http.send("POST", "/v1/once", Map.of(), String.class))
          .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isZero());
      assertThat(other.received).isEmpty();
    }
  }

  @Test
  void aStreamOpensAtTheLeaderAndReopensAtTheNextOne() throws Exception {
    FakeAllocator l1 = server("L1").lead();
    FakeAllocator s = server("S").standbyFor(l1.uri().toString());
    HttpTransport http = transport(s.uri() + "," + l1.uri());
    List<String> events = new CopyOnWriteArrayList<>();
    List<Optional<Throwable>> closes = new CopyOnWriteArrayList<>();
    NdjsonStream.Listener<String> listener =
        new NdjsonStream.Listener<>() {
          @Override
          public void event(String e) {
            events.add(e);
          }

          @Override
          public void closed(Optional<Throwable> cause) {
            closes.add(cause);
          }
        };
    NdjsonStream<String> first =
        http.stream("POST", "/stream", Map.of(), String.class, Map.of(), listener);
    await().atMost(Duration.ofSeconds(5)).until(() -> events.contains("L1"));
    first.close();

    // L1 gone, the standby leads: the same transport opens the stream there.
    l1.close();
    s.lead();
    NdjsonStream<String> second =
        http.stream("POST", "/stream", Map.of(), String.class, Map.of(), listener);
    await().atMost(Duration.ofSeconds(5)).until(() -> events.contains("S"));
    second.close();
    assertThat(events).containsExactly("L1", "S");
  }

  @Test
  void redirectsAreFollowedOnlyToHttpUrlsAndNeverFromHttpsToHttp() {
    URI https = URI.create("https://a:5050");
    assertThat(
            Failover.redirectTarget(
                https, "/v1/x?q=1", Optional.of("https://b:5050/v1/x?q=1"), 307))
        .isEqualTo(URI.create("https://b:5050"));
    assertThat(
            Failover.redirectTarget(https, "/v1/x", Optional.of("https://b:5050/elsewhere"), 307))
        .isEqualTo(URI.create("https://b:5050"));
    assertThat(Failover.redirectTarget(https, "/v1/x", Optional.of("/v1/x"), 307)).isEqualTo(https);
    assertThatThrownBy(
            () -> Failover.redirectTarget(https, "/v1/x", Optional.of("http://b:5050/v1/x"), 307))
        .hasMessageContaining("refusing to leave https for http");
    assertThatThrownBy(
            () -> Failover.redirectTarget(https, "/v1/x", Optional.of("file:///etc/passwd"), 307))
        .hasMessageContaining("only http(s) URLs are followed");
    assertThatThrownBy(() -> Failover.redirectTarget(https, "/v1/x", Optional.empty(), 307))
        .hasMessageContaining("without a Location");
  }
}
