package io.strata.workloads.framework;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.strata.api.FrameworkId;
import io.strata.api.client.AllocatorAddress;
import io.strata.api.client.Paths;
import io.strata.api.json.Codec;
import io.strata.api.scheduler.SchedulerCall;
import io.strata.api.scheduler.SchedulerEvent;
import io.strata.testkit.Loopback;
import io.strata.testkit.MutableClock;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A framework whose loop is busy for longer than the allocator's silence allows (a removal of many
 * instances) keeps its subscription while the allocator's heartbeats keep arriving: silence is
 * timed from when events arrive, not from when the loop gets to them.
 */
class FrameworkRunnerBusyLoopTest {
  private final AtomicInteger subscriptions = new AtomicInteger();
  private final CountDownLatch down = new CountDownLatch(1);
  private final CountDownLatch beat = new CountDownLatch(1);
  private HttpServer server;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(Loopback.HOST, 0), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", this::handle);
    server.start();
  }

  @AfterEach
  void stop() {
    down.countDown();
    server.stop(0);
  }

  /**
   * SUBSCRIBE answered with a stream that, once {@link #beat} opens, sends a heartbeat every 50 ms.
   */
  private void handle(HttpExchange ex) throws IOException {
    byte[] body = ex.getRequestBody().readAllBytes();
    if (!(Codec.JSON.decode(body, SchedulerCall.class) instanceof SchedulerCall.Subscribe)) {
      ex.sendResponseHeaders(202, -1);
      ex.close();
      return;
    }
    subscriptions.incrementAndGet();
    ex.getResponseHeaders().add("Content-Type", "application/x-ndjson");
    ex.getResponseHeaders().add(Paths.STREAM_ID_HEADER, "stream-1");
    ex.sendResponseHeaders(200, 0);
    OutputStream out = ex.getResponseBody();
    var writer = Codec.JSON.mapper().writerFor(SchedulerEvent.class);
    SchedulerEvent event = new SchedulerEvent.Subscribed(FrameworkId.of("fw-1"), "stream-1", 1000);
    try {
      out.write((writer.writeValueAsString(event) + "\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      beat.await();
      while (down.getCount() > 0) {
        out.write((writer.writeValueAsString(event) + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        event = new SchedulerEvent.Heartbeat();
        Thread.sleep(50);
      }
    } catch (InterruptedException | IOException e) {
      // the test is over
    }
    ex.close();
  }

  @Test
  void aLongBusyLoopDoesNotReSubscribeWhileHeartbeatsArrive() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-01-31T12:00:00Z"));
    FrameworkRunnerFailoverTest.Recorder framework = new FrameworkRunnerFailoverTest.Recorder();
    URI uri = URI.create("http://" + Loopback.HOST + ":" + server.getAddress().getPort());
    try (FrameworkRunner runner =
        new FrameworkRunner(AllocatorAddress.of(uri), "t0k", framework, clock, null)) {
      runner.start();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (framework.subscribed.isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(framework.subscribed).hasSize(1);

      // The loop is busy for what is, by the clock, a minute, with heartbeats arriving meanwhile.
      CountDownLatch busy = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      var work =
          runner.submit(
              () -> {
                busy.countDown();
                release.await();
                return null;
              });
      busy.await();
      long before = runner.progress();
      Thread.sleep(300); // a tick falls due while the loop is busy
      clock.advance(Duration.ofMinutes(1));
      beat.countDown();
      Thread.sleep(300); // heartbeats arrive, after the clock moved and the tick fell due
      assertThat(runner.progress()).as("the loop is stuck in the work").isEqualTo(before);
      release.countDown();
      work.get();
      Thread.sleep(500); // the ticks that were due run now

      assertThat(subscriptions.get()).as("no re-subscription").isEqualTo(1);
      assertThat(runner.isSubscribed().get()).isTrue();
      assertThat(runner.progress()).isGreaterThan(before);
    }
  }
}
