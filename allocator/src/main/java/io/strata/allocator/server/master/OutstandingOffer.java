package io.strata.allocator.server.master;

import io.strata.api.Offer;
import java.time.Instant;

/** An offer sent to a framework and not yet answered, rescinded or expired. */
record OutstandingOffer(Offer offer, Instant createdAt) {}
