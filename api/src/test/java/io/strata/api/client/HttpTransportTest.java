package io.strata.api.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.strata.api.json.Codec;
import io.strata.api.json.Problem;
import io.strata.api.json.Violation;
import io.strata.api.scheduler.SchedulerEvent;
import io.strata.testkit.Loopback;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpTransportTest {
  private HttpServer server;
  private URI base;
  private final CountDownLatch release = new CountDownLatch(1);

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(Loopback.HOST, 0), 0);
    server.createContext(
        "/problem",
        ex -> {
          byte[] body =
              Codec.JSON.encodeBytes(
                  Problem.invalid("/problem", List.of(new Violation("a.b", "is required"))));
          ex.getResponseHeaders().add("Content-Type", Problem.MEDIA_TYPE);
          ex.sendResponseHeaders(400, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    server.createContext(
        "/auth",
        ex -> {
          String auth = ex.getRequestHeaders().getFirst("Authorization");
          byte[] body = ("\"" + auth + "\"").getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(200, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    server.createContext(
        "/stream",
        ex -> {
          ex.getResponseHeaders().add("Strata-Stream-Id", "s-9");
          ex.sendResponseHeaders(200, 0);
          OutputStream out = ex.getResponseBody();
          out.write("{\"type\":\"HEARTBEAT\"}\n\n".getBytes(StandardCharsets.UTF_8));
          out.write("{\"type\":\"ERROR\",\"message\":\"bye\"}\n".getBytes(StandardCharsets.UTF_8));
          out.flush();
          try {
            release.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          ex.close();
        });
    server.start();
    base = URI.create("http://" + Loopback.HOST + ":" + server.getAddress().getPort());
  }

  @AfterEach
  void stop() {
    release.countDown();
    server.stop(0);
  }

  @Test
  void problemsBecomeApiExceptionsWithTheirViolations() {
    HttpTransport http = new HttpTransport(base, "t0k");
    assertThatThrownBy(() -> http.send("GET", "/problem", null, String.class))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.retryable()).isFalse();
              assertThat(e.problem().violations())
                  .containsExactly(new Violation("a.b", "is required"));
            });
  }

  @Test
  void sendsTheBearerToken() {
    assertThat(new HttpTransport(base, "t0k").send("GET", "/auth", null, String.class))
        .isEqualTo("Bearer t0k");
  }

  @Test
  void unreachableIsRetryable() {
    URI nowhere = URI.create("http://" + Loopback.HOST + ":" + Loopback.freePort());
    assertThatThrownBy(() -> new HttpTransport(nowhere, null).send("GET", "/x", null, String.class))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.retryable()).isTrue());
  }

  @Test
  void streamsDeliverEachLineAndCloseCleanly() {
    List<SchedulerEvent> seen = new CopyOnWriteArrayList<>();
    AtomicReference<Optional<Throwable>> closed = new AtomicReference<>();
    HttpTransport http = new HttpTransport(base, null);
    NdjsonStream<SchedulerEvent> stream =
        http.stream(
            "GET",
            "/stream",
            null,
            SchedulerEvent.class,
            java.util.Map.of(),
            new NdjsonStream.Listener<>() {
              @Override
              public void event(SchedulerEvent event) {
                seen.add(event);
              }

              @Override
              public void closed(Optional<Throwable> cause) {
                closed.set(cause);
              }
            });
    assertThat(stream.header("Strata-Stream-Id")).contains("s-9");
    await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 2);
    assertThat(seen)
        .containsExactly(new SchedulerEvent.Heartbeat(), new SchedulerEvent.Error("bye"));
    stream.close();
    await().atMost(Duration.ofSeconds(10)).until(() -> closed.get() != null);
    assertThat(closed.get()).isEmpty();
  }
}
