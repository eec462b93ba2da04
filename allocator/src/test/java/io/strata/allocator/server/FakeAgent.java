package io.strata.allocator.server;

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
import io.strata.api.agent.ReportedTask;
import io.strata.api.agent.StatusAck;
import io.strata.api.client.AgentClient;
import io.strata.api.client.NdjsonStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.awaitility.Awaitility;

/**
 * An agent that speaks the real protocol (through {@link AgentClient}) and runs nothing: it records
 * what the allocator tells it and sends the status updates the test asks for.
 */
final class FakeAgent implements AutoCloseable {
  final AgentClient client;
  final String hostname;
  final ResourcePool resources;
  final List<AgentMessage> received = new CopyOnWriteArrayList<>();
  volatile AgentId id;

  /** What the agent registers as its own endpoint (null: none) and its OS. */
  volatile String endpoint;

  volatile Os os = Os.LINUX;

  /** What the agent says it can do (an older agent lacks {@code kill-tasks}). */
  volatile Set<String> capabilities = Set.of("docker", "kill-tasks");

  /** The agent's own credential, from its registration. */
  volatile String credential;

  private volatile NdjsonStream<AgentMessage> stream;

  FakeAgent(URI allocator, String joinToken, String hostname, String resources) {
    this.client = new AgentClient(allocator, joinToken);
    this.hostname = hostname;
    this.resources = ResourcePool.unreserved(Resources.parse(resources));
  }

  AgentInfo info() {
    return new AgentInfo(
        hostname, os, "amd64", resources, Map.of("rack", "r1"), capabilities, endpoint, "test");
  }

  FakeAgent register() {
    return reregister(List.of());
  }

  FakeAgent reregister(List<ReportedTask> tasks) {
    AgentRegistered answer = client.register(new RegisterAgent(id, info(), tasks));
    id = answer.agentId();
    credential = answer.agentToken();
    return this;
  }

  /**
   * This agent as a restarted process of {@code before}: its id and credential, as kept on disk.
   */
  FakeAgent restartOf(FakeAgent before) {
    id = before.id;
    credential = before.credential;
    client.useAgentToken(credential);
    return this;
  }

  FakeAgent connect() {
    NdjsonStream<AgentMessage> old = stream;
    if (old != null) {
      old.close();
    }
    stream = client.openStream(id, received::add);
    return this;
  }

  void disconnect() {
    NdjsonStream<AgentMessage> s = stream;
    if (s != null) {
      s.close();
    }
  }

  void heartbeat() {
    client.heartbeat(id);
  }

  StatusAck send(FrameworkId fw, TaskId task, TaskState state) {
    return client.sendStatus(id, status(fw, task, state, UUID.randomUUID()));
  }

  TaskStatus status(FrameworkId fw, TaskId task, TaskState state, UUID uuid) {
    return new TaskStatus(
        task, fw, id, state, null, null, TaskStatus.Source.AGENT, uuid, Instant.now(), null, null);
  }

  <T extends AgentMessage> T await(Class<T> type, Predicate<T> match) {
    return Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> find(type, match), Optional::isPresent)
        .orElseThrow();
  }

  <T extends AgentMessage> Optional<T> find(Class<T> type, Predicate<T> match) {
    return received.stream().filter(type::isInstance).map(type::cast).filter(match).findFirst();
  }

  <T extends AgentMessage> List<T> all(Class<T> type) {
    List<T> out = new ArrayList<>();
    received.stream().filter(type::isInstance).map(type::cast).forEach(out::add);
    return out;
  }

  @Override
  public void close() {
    disconnect();
  }
}
