package io.strata.allocator.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.strata.api.FrameworkId;
import io.strata.api.Offer;
import io.strata.api.operator.FrameworkView;
import io.strata.api.scheduler.SchedulerEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Suppressed roles, as Mesos: SUBSCRIBE may carry them, SUPPRESS and REVIVE change them, and they
 * are durable: an allocator restart rebuilds them until the framework subscribes again.
 */
class SuppressionTest {
  @TempDir Path dir;
  TestAllocator allocator;
  FakeAgent agent;

  @BeforeEach
  void start() {
    allocator = new TestAllocator(dir, "agentUnreachableAfterMillis: 86400000\n").start();
    agent = allocator.agent("node-1", "cpus:4;mem:4096").register().connect();
  }

  @AfterEach
  void stop() {
    agent.close();
    allocator.close();
  }

  private FrameworkView view(FrameworkId id) {
    return allocator.operator().frameworks().stream()
        .filter(f -> f.id().equals(id))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aSubscriptionThatSuppressesARoleGetsNoOffersForItUntilItRevives() {
    try (FakeFramework quiet = allocator.framework("quiet", TestAllocator.WEB, "web/a", "web/b");
        FakeFramework other = allocator.framework("other", TestAllocator.WEB, "web/c")) {
      quiet.suppressedRoles = Set.of("web/a", "web/b");
      quiet.subscribe();
      assertThat(view(quiet.id()).suppressedRoles()).containsExactlyInAnyOrder("web/a", "web/b");
      // Subscribed later, the other framework is offered the agent: the first one wanted nothing.
      Offer offer = other.subscribe().awaitOffer("node-1");
      assertThat(quiet.all(SchedulerEvent.Offers.class)).isEmpty();

      quiet.client.revive(Set.of("web/b"));
      assertThat(view(quiet.id()).suppressedRoles()).containsExactly("web/a");
      other.client.decline(List.of(offer.id()), 3600L);
      assertThat(quiet.awaitOffer("node-1").role()).isEqualTo("web/b");
    }
  }

  @Test
  void suppressionSurvivesARestartUntilTheFrameworkSubscribesAgain() {
    FakeFramework fw = allocator.framework("web-fw", TestAllocator.WEB, "web", "web/api");
    fw.subscribe().awaitOffer("node-1");
    fw.client.suppress(Set.of("web"));
    fw.close();
    await().atMost(Duration.ofSeconds(10)).until(() -> !view(fw.id()).connected());

    allocator.restart();
    // Rebuilt from the journal while the framework is away.
    assertThat(view(fw.id()).suppressedRoles()).containsExactly("web");
    agent.reregister(List.of()).connect();

    // It comes back saying "web/api" is suppressed now: that replaces what it had.
    FakeFramework back = allocator.framework("web-fw", TestAllocator.WEB, "web", "web/api");
    back.info = fw.info;
    back.suppressedRoles = Set.of("web/api");
    back.subscribe();
    assertThat(view(fw.id()).suppressedRoles()).containsExactly("web/api");
    assertThat(back.awaitOffer("node-1").role()).isEqualTo("web");

    // A plain SUBSCRIBE (no suppressedRoles) suppresses nothing.
    back.close();
    back.suppressedRoles = Set.of();
    back.subscribe();
    assertThat(view(fw.id()).suppressedRoles()).isEmpty();
    back.close();
  }
}
