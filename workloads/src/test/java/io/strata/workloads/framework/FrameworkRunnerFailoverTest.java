package io.strata.workloads.framework;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.strata.api.AgentId;
import io.strata.api.FrameworkId;
import io.strata.api.FrameworkInfo;
import io.strata.api.Offer;
import io.strata.api.OfferId;
import io.strata.api.TaskStatus;
import io.strata.api.client.AllocatorAddress;
import io.strata.api.client.Paths;
import io.strata.api.json.Codec;
import io.strata.api.scheduler.SchedulerCall;
import io.strata.api.scheduler.SchedulerEvent;
import io.strata.testkit.Loopback;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A framework given two allocators (HA): it subscribes at the leader through the standby's
 * redirect; when the leader dies and the standby leads, it re-subscribes there with the same
 * framework id (so the new leader keeps its tasks).
 */
class FrameworkRunnerFailoverTest {

  /** The scheduler API's SUBSCRIBE on loopback, as a leader or as a standby that redirects. */
  static final class Allocator implements AutoCloseable {
    final List<FrameworkInfo> subscriptions = new CopyOnWriteArrayList<>();
    private final HttpServer server;
    private final CountDownLatch down = new CountDownLatch(1);
    private volatile Allocator leader;

    Allocator() throws IOException {
      server = HttpServer.create(new InetSocketAddress(Loopback.HOST, 0), 0);
      server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
      server.createContext("/", this::handle);
      server.start();
    }

    URI uri() {
      return URI.create("http://" + Loopback.HOST + ":" + server.getAddress().getPort());
    }

    private void handle(HttpExchange ex) throws IOException {
      byte[] body = ex.getRequestBody().readAllBytes();
      Allocator lead = leader;
      if (lead != null) {
        ex.getResponseHeaders().add("Location", lead.uri() + ex.getRequestURI().toString());
        ex.sendResponseHeaders(307, -1);
        ex.close();
        return;
      }
      if (!ex.getRequestURI().getPath().equals(Paths.SCHEDULER)
          || !(Codec.JSON.decode(body, SchedulerCall.class) instanceof SchedulerCall.Subscribe s)) {
        ex.sendResponseHeaders(202, -1);
        ex.close();
        return;
      }
      subscriptions.add(s.framework());
      FrameworkId id =
          s.framework().id() != null
              ? s.framework().id()
              : FrameworkId.of("fw-" + server.getAddress().getPort());
      ex.getResponseHeaders().add("Content-Type", "application/x-ndjson");
      ex.getResponseHeaders().add(Paths.STREAM_ID_HEADER, "stream-1");
      ex.sendResponseHeaders(200, 0);
      OutputStream out = ex.getResponseBody();
      SchedulerEvent subscribed = new SchedulerEvent.Subscribed(id, "stream-1", 1000);
      out.write(
          (Codec.JSON.mapper().writerFor(SchedulerEvent.class).writeValueAsString(subscribed)
                  + "\n")
              .getBytes(StandardCharsets.UTF_8));
      out.flush();
      try {
        down.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      ex.close();
    }

    Allocator standbyFor(Allocator l) {
      leader = l;
      return this;
    }

    Allocator lead() {
      leader = null;
      return this;
    }

    @Override
    public void close() {
      down.countDown();
      server.stop(0);
    }
  }

  /** A framework that only records its subscriptions. */
  static final class Recorder implements FrameworkHandler {
    final List<FrameworkId> subscribed = new CopyOnWriteArrayList<>();
    final List<Boolean> resumed = new CopyOnWriteArrayList<>();

    @Override
    public FrameworkInfo info() {
      return new FrameworkInfo(
          null, "recorder", "nobody", Set.of("eng"), Set.of(), 60_000L, Map.of());
    }

    @Override
    public void subscribed(FrameworkId id, SchedulerLink link, boolean wasResumed) {
      subscribed.add(id);
      resumed.add(wasResumed);
    }

    @Override
    public void disconnected() {}

    @Override
    public void offers(List<Offer> offers) {}

    @Override
    public void rescinded(OfferId offer) {}

    @Override
    public void update(TaskStatus status) {}

    @Override
    public void agentLost(AgentId agent) {}

    @Override
    public void agentDraining(AgentId agent, Instant deadline) {}

    @Override
    public void tick(Instant now) {}
  }

  private final List<Allocator> allocators = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    allocators.forEach(Allocator::close);
  }

  private Allocator allocator() throws IOException {
    Allocator a = new Allocator();
    allocators.add(a);
    return a;
  }

  private static void until(java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out");
      }
      Thread.sleep(10);
    }
  }

  @Test
  void reSubscribesWithItsFrameworkIdAtTheNewLeader(@TempDir Path dir) throws Exception {
    Allocator first = allocator();
    Allocator second = allocator().standbyFor(first);
    Recorder framework = new Recorder();
    try (FrameworkRunner runner =
        new FrameworkRunner(
            AllocatorAddress.parse(second.uri() + "," + first.uri()),
            "t0k",
            framework,
            Clock.systemUTC(),
            dir.resolve("framework-id"))) {
      runner.start();
      until(() -> framework.subscribed.size() == 1);
      FrameworkId id = framework.subscribed.getFirst();
      assertThat(first.subscriptions).hasSize(1);
      assertThat(first.subscriptions.getFirst().id()).isNull();

      // The leader dies; the standby leads.
      first.close();
      second.lead();
      until(() -> framework.subscribed.size() == 2);
      assertThat(second.subscriptions).isNotEmpty();
      assertThat(second.subscriptions.getLast().id()).isEqualTo(id);
      assertThat(framework.subscribed).containsExactly(id, id);
      assertThat(framework.resumed).containsExactly(false, true);
    }
  }
}
