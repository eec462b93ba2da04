package io.strata.allocator.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.api.Offer;
import io.strata.api.scheduler.SchedulerEvent;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OfferTimeoutTest {
  @TempDir Path dir;

  @Test
  void anUnansweredOfferIsRescindedAfterTheTimeoutAndOfferedAgain() {
    try (TestAllocator allocator =
            new TestAllocator(
                    dir, "offerTimeoutMillis: 30000\nagentUnreachableAfterMillis: 86400000\n")
                .start();
        FakeAgent agent = allocator.agent("node-1", "cpus:2;mem:1024").register().connect();
        FakeFramework fw = allocator.framework("web-fw", TestAllocator.WEB, "web").subscribe()) {
      Offer offer = fw.awaitOffer("node-1");
      allocator.clock.advance(Duration.ofSeconds(31));
      fw.await(SchedulerEvent.Rescind.class, r -> r.offerId().equals(offer.id()));
      Offer again =
          fw.await(
                  SchedulerEvent.Offers.class,
                  o -> o.offers().stream().noneMatch(x -> x.id().equals(offer.id())))
              .offers()
              .get(0);
      assertThat(again.resources()).isEqualTo(offer.resources());
    }
  }
}
