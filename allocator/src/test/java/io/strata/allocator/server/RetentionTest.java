package io.strata.allocator.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.strata.api.AgentId;
import io.strata.api.FrameworkId;
import io.strata.api.client.ApiException;
import io.strata.api.operator.AgentState;
import io.strata.api.operator.DrainRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ids of GONE agents and removed frameworks are refused for a while, then forgotten, as Mesos
 * prunes its registry ({@code registry_max_agent_age}, {@code registry_max_agent_count}); the
 * forgetting is durable.
 */
class RetentionTest {
  @TempDir Path dir;
  TestAllocator allocator;

  @AfterEach
  void stop() {
    allocator.close();
  }

  /** The HTTP status the operator API answers for the agent: 410 refused, 404 unknown. */
  private int agentStatus(AgentId id) {
    try {
      allocator.operator().agent(id);
      return 200;
    } catch (ApiException e) {
      return e.status();
    }
  }

  private AgentId goneAgent(String host) {
    return goneFakeAgent(host).id;
  }

  private FakeAgent goneFakeAgent(String host) {
    FakeAgent a = allocator.agent(host, "cpus:1;mem:512").register();
    assertThat(allocator.operator().drain(a.id, new DrainRequest(null, true)).state())
        .isEqualTo(AgentState.GONE);
    assertThat(agentStatus(a.id)).isEqualTo(410);
    return a;
  }

  @Test
  void idsRemovedLongerAgoThanTheMaximumAgeAreForgottenDurably() {
    allocator = new TestAllocator(dir, "").start(); // 14 days by default
    FakeAgent removed = goneFakeAgent("node-1");
    AgentId agent = removed.id;
    FakeFramework fw = allocator.framework("fw", TestAllocator.WEB, "web").subscribe();
    FrameworkId fwId = fw.id();
    fw.client.teardown();
    fw.close();

    allocator.clock.advance(Duration.ofDays(13));
    allocator.restart(); // still refused after a restart
    assertThat(agentStatus(agent)).isEqualTo(410);

    allocator.clock.advance(Duration.ofDays(1).plusSeconds(1));
    await().atMost(Duration.ofSeconds(20)).until(() -> agentStatus(agent) == 404);

    // A forgotten id is one never seen. No credential acts for it (the agent's went with its
    // record), so the agent joins anew under a new id; the framework subscribes anew.
    FakeAgent back = allocator.agent("node-1", "cpus:1;mem:512").restartOf(removed);
    assertThatThrownBy(back::register)
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(401));
    back.id = null;
    back.register();
    assertThat(back.id).isNotEqualTo(agent);
    assertThat(agentStatus(agent)).isEqualTo(404);
    try (FakeFramework again = allocator.framework("fw", TestAllocator.WEB, "web")) {
      again.info = fw.info;
      again.subscribe();
      assertThat(again.id()).isEqualTo(fwId);
    }

    // The forgetting is durable: after a restart the new agent and framework are still known.
    allocator.restart();
    assertThat(agentStatus(back.id)).isEqualTo(200);
    assertThat(allocator.operator().frameworks()).extracting(f -> f.id()).containsExactly(fwId);
  }

  @Test
  void beyondTheMaximumCountTheOldestIdsAreForgotten() {
    allocator = new TestAllocator(dir, "removedIdsMaxCount: 2\n").start();
    List<AgentId> gone = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      gone.add(goneAgent("node-" + i));
      allocator.clock.advance(Duration.ofSeconds(1));
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> agentStatus(gone.get(0)) == 404);
    allocator.restart();
    assertThat(gone).extracting(this::agentStatus).containsExactly(404, 410, 410);
  }
}
