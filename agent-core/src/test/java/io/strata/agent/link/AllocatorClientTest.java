package io.strata.agent.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.api.AgentId;
import io.strata.api.AgentInfo;
import io.strata.api.FrameworkId;
import io.strata.api.Os;
import io.strata.api.ResourcePool;
import io.strata.api.Resources;
import io.strata.api.TaskId;
import io.strata.api.TaskState;
import io.strata.api.TaskStatus;
import io.strata.api.agent.AgentMessage;
import io.strata.api.agent.AgentRegistered;
import io.strata.api.agent.RegisterAgent;
import io.strata.api.client.ApiException;
import io.strata.api.client.NdjsonStream;
import io.strata.fakes.allocator.FakeAllocator;
import io.strata.testkit.Eventually;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The agent's HTTP client against the fake allocator on 127.0.0.1 (the real protocol). */
class AllocatorClientTest {
  private FakeAllocator allocator;
  private AllocatorClient client;

  @BeforeEach
  void start() throws Exception {
    allocator = new FakeAllocator("token", 500).start();
    client = new AllocatorClient(allocator.uri(), "token");
  }

  @AfterEach
  void stop() {
    allocator.close();
  }

  private static RegisterAgent registration() {
    return new RegisterAgent(
        null,
        new AgentInfo(
            "host-1",
            Os.LINUX,
            "amd64",
            ResourcePool.unreserved(Resources.of(1000, 1L << 30)),
            Map.of(),
            Set.of(),
            "http://127.0.0.1:5051",
            null),
        List.of());
  }

  /** Records what a stream delivers. */
  private static final class Recorder implements NdjsonStream.Listener<AgentMessage> {
    final List<AgentMessage> events = new CopyOnWriteArrayList<>();
    final List<Optional<Throwable>> closes = new CopyOnWriteArrayList<>();

    @Override
    public void event(AgentMessage event) {
      events.add(event);
    }

    @Override
    public void closed(Optional<Throwable> cause) {
      closes.add(cause);
    }
  }

  @Test
  void registersHeartbeatsAndHasItsUpdatesAcknowledged() {
    AgentRegistered registered = client.register(registration());
    assertThat(registered.agentId()).isEqualTo(AgentId.of("agent-1"));
    assertThat(registered.heartbeatIntervalMillis()).isEqualTo(500);
    client.heartbeat(registered.agentId());
    client.heartbeat(registered.agentId());
    assertThat(allocator.heartbeats()).isEqualTo(2);

    TaskStatus status =
        new TaskStatus(
            TaskId.of("t1"),
            FrameworkId.of("fw"),
            registered.agentId(),
            TaskState.RUNNING,
            null,
            null,
            TaskStatus.Source.AGENT,
            UUID.randomUUID(),
            Instant.parse("2026-01-01T00:00:00Z"),
            null,
            null);
    assertThat(client.sendStatus(registered.agentId(), status).uuid()).isEqualTo(status.uuid());
    assertThat(allocator.statuses()).containsExactly(status);
  }

  @Test
  void theStreamDeliversMessagesInOrderAndEndsOnceWhenClosed() {
    AgentId id = client.register(registration()).agentId();
    Recorder recorder = new Recorder();
    MessageStream stream = client.openStream(id, recorder);
    Eventually.await("the stream", () -> allocator.hasStream(id));
    AgentMessage kill = new AgentMessage.KillTask(FrameworkId.of("fw"), TaskId.of("t1"), 0L, null);
    AgentMessage shutdown = new AgentMessage.Shutdown("bye");
    assertThat(allocator.send(id, kill)).isTrue();
    assertThat(allocator.send(id, shutdown)).isTrue();
    Eventually.await("two messages", () -> recorder.events.size() == 2);
    assertThat(recorder.events).containsExactly(kill, shutdown);

    // Nothing more comes: the reader is blocked in a read, and closing must still end it.
    stream.close();
    Eventually.await("the stream to end", Duration.ofSeconds(10), () -> !stream.isOpen());
    assertThat(recorder.closes).containsExactly(Optional.empty());
  }

  @Test
  void theStreamEndsWhenTheAllocatorGoesAway() {
    AgentId id = client.register(registration()).agentId();
    Recorder recorder = new Recorder();
    MessageStream stream = client.openStream(id, recorder);
    Eventually.await("the stream", () -> allocator.hasStream(id));
    allocator.stop();
    Eventually.await("the stream to end", Duration.ofSeconds(10), () -> !stream.isOpen());
    assertThat(recorder.closes).hasSize(1);
  }

  @Test
  void refusalsCarryTheAllocatorsStatusAndDetail() {
    AgentId id = client.register(registration()).agentId();
    // Another agent's id: its credential is not ours.
    assertThatThrownBy(() -> client.heartbeat(AgentId.of("agent-99")))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(401);
              assertThat(e.getMessage()).contains("own credential");
            });
    allocator.forgetAgents();
    assertThatThrownBy(() -> client.heartbeat(id))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(404);
              assertThat(e.getMessage()).contains("unknown agent " + id);
            });
    allocator.remove(id);
    assertThatThrownBy(() -> client.heartbeat(id))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(410));
    assertThatThrownBy(() -> client.openStream(id, new Recorder()))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(410));
    AllocatorClient stranger = new AllocatorClient(allocator.uri(), "wrong");
    assertThatThrownBy(() -> stranger.register(registration()))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(401);
              assertThat(e.getMessage()).contains("a valid join token is required");
            });
  }

  @Test
  void anAllocatorThatIsDownIsUnreachableNotAnError() {
    AgentId id = client.register(registration()).agentId();
    allocator.stop();
    assertThatThrownBy(() -> client.heartbeat(id))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isZero();
              assertThat(e.retryable()).isTrue();
              assertThat(e.getMessage()).contains("unreachable");
            });
    assertThatThrownBy(() -> client.openStream(id, new Recorder()))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isZero());
  }
}
