package io.strata.agent.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.agent.files.SandboxFiles;
import io.strata.agent.testing.TestEndpoint;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One client holding requests open cannot starve the others, nor /health. */
class EndpointLimitsTest {
  @TempDir Path work;
  TestEndpoint endpoint;
  final CountDownLatch release = new CountDownLatch(1);
  final Semaphore entered = new Semaphore(0);

  /** Files that take as long as the test wants: each read waits for {@link #release}. */
  final SandboxFiles slow =
      (sandbox, relative, offset, max) -> {
        entered.release();
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return new SandboxFiles.FileData(2, "ok".getBytes());
      };

  @AfterEach
  void stop() {
    release.countDown();
    if (endpoint != null) {
      endpoint.close();
    }
  }

  @Test
  void aClientOverItsShareGets429AtOnceAndOthersAndHealthAreServed() throws Exception {
    endpoint = new TestEndpoint(work, slow, new AgentHttpServer.Limits(64, 16));
    HttpClient hostile = TestEndpoint.client("127.0.0.1");
    List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      held.add(
          hostile.sendAsync(
              endpoint.get(endpoint.file("stdout")), HttpResponse.BodyHandlers.ofString()));
    }
    // 16 are held by the slow files; the other 184 are refused without waiting.
    assertThat(entered.tryAcquire(16, 20, TimeUnit.SECONDS)).isTrue();
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (held.stream().filter(CompletableFuture::isDone).count() < 184
        && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    int refused = 0;
    for (CompletableFuture<HttpResponse<String>> f : held) {
      if (f.isDone()) {
        HttpResponse<String> r = f.get();
        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(r.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(r.headers().firstValue("Retry-After")).contains("1");
        refused++;
      }
    }
    assertThat(refused).isEqualTo(184);
    // Served while the hostile client's 16 requests are still held (released only below).
    HttpClient other = TestEndpoint.client("127.0.0.2");
    assertThat(endpoint.send(hostile, endpoint.uri("/health")).statusCode()).isEqualTo(200);
    assertThat(endpoint.send(other, endpoint.uri("/v1/tasks")).statusCode()).isEqualTo(200);
    release.countDown();
    for (CompletableFuture<HttpResponse<String>> f : held) {
      assertThat(f.get(20, TimeUnit.SECONDS).statusCode()).isIn(200, 429);
    }
    assertThat(endpoint.send(hostile, endpoint.file("stdout")).body()).isEqualTo("ok");
  }

  @Test
  void theTotalIsBoundedAcrossClients() throws Exception {
    endpoint = new TestEndpoint(work, slow, new AgentHttpServer.Limits(4, 2));
    List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
    for (String address : List.of("127.0.0.2", "127.0.0.3")) {
      HttpClient c = TestEndpoint.client(address);
      for (int i = 0; i < 2; i++) {
        held.add(
            c.sendAsync(endpoint.get(endpoint.file("x")), HttpResponse.BodyHandlers.ofString()));
      }
    }
    assertThat(entered.tryAcquire(4, 20, TimeUnit.SECONDS)).isTrue();
    HttpResponse<String> busy = endpoint.send(TestEndpoint.client("127.0.0.4"), endpoint.file("x"));
    assertThat(busy.statusCode()).isEqualTo(503);
    assertThat(busy.body()).contains("too many requests");
    assertThat(endpoint.send(TestEndpoint.client("127.0.0.4"), endpoint.uri("/health")).body())
        .isEqualTo("ok\n");
    release.countDown();
    for (CompletableFuture<HttpResponse<String>> f : held) {
      assertThat(f.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }
  }
}
