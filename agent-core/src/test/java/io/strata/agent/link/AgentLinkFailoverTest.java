package io.strata.agent.link;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.api.AgentId;
import io.strata.api.AgentInfo;
import io.strata.api.Backoff;
import io.strata.api.FrameworkId;
import io.strata.api.Os;
import io.strata.api.ResourcePool;
import io.strata.api.Resources;
import io.strata.api.TaskId;
import io.strata.api.agent.AgentMessage;
import io.strata.api.agent.RegisterAgent;
import io.strata.api.client.AllocatorEndpoints;
import io.strata.fakes.allocator.FakeAllocator;
import io.strata.testkit.Eventually;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's link given two allocators (HA): it registers at the leader through the standby's
 * redirect, and when the leader dies and the standby takes over, it re-registers there as itself
 * (same id, same credential) and follows the new leader's stream; its tasks are never void.
 */
class AgentLinkFailoverTest {
  private final FakeAllocator first = new FakeAllocator("join", 200);
  private final FakeAllocator second = new FakeAllocator("join", 200);
  private final List<AgentId> connections = new CopyOnWriteArrayList<>();
  private final List<AgentMessage> messages = new CopyOnWriteArrayList<>();
  private final AtomicInteger gone = new AtomicInteger();

  @AfterEach
  void stop() {
    first.close();
    second.close();
  }

  private AgentLink.Agent agent() {
    return new AgentLink.Agent() {
      @Override
      public RegisterAgent registration(Optional<AgentId> id) {
        return new RegisterAgent(
            id.orElse(null),
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

      @Override
      public void connected(AgentId id) {
        connections.add(id);
      }

      @Override
      public void message(AgentMessage message) {
        messages.add(message);
      }

      @Override
      public void gone() {
        gone.incrementAndGet();
      }
    };
  }

  @Test
  void reRegistersAsItselfAtTheNewLeaderAndFollowsItsStream(@TempDir Path dir) throws Exception {
    first.start();
    second.start().standbyFor(first);
    try (AllocatorEndpoints allocators =
            AllocatorEndpoints.parse(second.uri() + "," + first.uri());
        AgentLink link =
            new AgentLink(
                new AllocatorClient(allocators, "join", null),
                dir.resolve("agent-id"),
                new Backoff(Duration.ofMillis(50), Duration.ofMillis(200)),
                agent())) {
      link.start();
      Eventually.await(
          "registered at the leader", Duration.ofSeconds(20), () -> connections.size() == 1);
      AgentId id = connections.getFirst();
      Eventually.await(
          "the stream at the leader", Duration.ofSeconds(20), () -> first.hasStream(id));
      String credential = first.credentialOf(id);

      // The leader dies; the standby, which replicated its state, leads.
      first.stop();
      second.takeOver(first);
      Eventually.await(
          "the stream at the new leader", Duration.ofSeconds(20), () -> second.hasStream(id));

      AgentMessage kill =
          new AgentMessage.KillTask(FrameworkId.of("fw"), TaskId.of("t1"), 0L, null);
      assertThat(second.send(id, kill)).isTrue();
      Eventually.await(
          "the new leader's message", Duration.ofSeconds(20), () -> messages.contains(kill));
      assertThat(second.registrations()).last().extracting(RegisterAgent::agentId).isEqualTo(id);
      assertThat(second.credentialOf(id)).isEqualTo(credential);
      assertThat(connections).containsOnly(id).hasSizeGreaterThanOrEqualTo(2);
      assertThat(gone).hasValue(0);
    }
  }
}
