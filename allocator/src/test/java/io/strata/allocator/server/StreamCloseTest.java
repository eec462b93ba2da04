package io.strata.allocator.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.strata.api.Offer;
import io.strata.api.Resources;
import io.strata.api.operator.FrameworkView;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A framework whose stream closes is disconnected at once, as Mesos does on a broken subscription:
 * deactivated, its offers taken back and offered to others. Heartbeats here are an hour apart, so
 * only the connection's close can tell.
 */
class StreamCloseTest {
  @TempDir Path dir;
  TestAllocator allocator;
  FakeAgent agent;

  @BeforeEach
  void start() {
    allocator =
        new TestAllocator(
                dir,
                "frameworkHeartbeatIntervalMillis: 3600000\n"
                    + "agentHeartbeatIntervalMillis: 3600000\n"
                    + "agentUnreachableAfterMillis: 86400000\n")
            .start();
    agent = allocator.agent("node-1", "cpus:4;mem:4096").register().connect();
  }

  @AfterEach
  void stop() {
    agent.close();
    allocator.close();
  }

  @Test
  void aClosedStreamsOffersGoToAnotherFrameworkWithoutWaitingForAHeartbeat() {
    FakeFramework first = allocator.framework("first", TestAllocator.WEB, "web");
    Offer offer = first.subscribe().awaitOffer("node-1");
    assertThat(offer.resources().unreserved()).isEqualTo(Resources.parse("cpus:4;mem:4096"));
    try (FakeFramework second = allocator.framework("second", TestAllocator.BATCH, "batch")) {
      second.subscribe();
      assertThat(second.all(io.strata.api.scheduler.SchedulerEvent.Offers.class)).isEmpty();

      first.close();

      Offer moved = second.awaitOffer("node-1");
      assertThat(moved.resources()).isEqualTo(offer.resources());
      FrameworkView gone =
          allocator.operator().frameworks().stream()
              .filter(f -> f.id().equals(first.id()))
              .findFirst()
              .orElseThrow();
      assertThat(gone.connected()).isFalse();
      assertThat(gone.outstandingOffers()).isZero();
      assertThat(gone.disconnectedAt()).isNotNull();
    }
  }

  @Test
  void aFrameworkThatComesBackAfterItsStreamClosedIsOfferedAgain() {
    FakeFramework fw = allocator.framework("fw", TestAllocator.WEB, "web");
    fw.subscribe().awaitOffer("node-1");
    fw.close();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> !allocator.operator().frameworks().get(0).connected());
    fw.subscribe();
    assertThat(fw.awaitOffer("node-1").resources().unreserved())
        .isEqualTo(Resources.parse("cpus:4;mem:4096"));
    fw.close();
  }
}
