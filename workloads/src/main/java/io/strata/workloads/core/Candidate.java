package io.strata.workloads.core;

import io.strata.api.OfferId;
import io.strata.api.Resources;

/**
 * An agent placement may consider: with an outstanding offer ({@code offerId} set, {@code free} is
 * what the offer holds) or without one ({@code offerId} null: known from earlier offers; {@code
 * free} is what was left then). Only candidates with an offer receive tasks; the others still count
 * when explaining why a task waits.
 */
public record Candidate(OfferId offerId, AgentFacts agent, Resources free) {
  public Candidate {
    java.util.Objects.requireNonNull(agent, "agent");
    free = free == null ? Resources.EMPTY : free;
  }

  public boolean hasOffer() {
    return offerId != null;
  }
}
