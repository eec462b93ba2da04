package io.strata.allocator.server.master;

import io.strata.api.AgentId;
import io.strata.api.FrameworkId;
import io.strata.api.Offer;
import io.strata.api.OfferId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The outstanding offers, by id and indexed by agent and framework. Offer ids carry a prefix unique
 * to this allocator run, so an offer from before a restart is never mistaken for a new one.
 */
final class OfferBook {
  private final String prefix;
  private final AtomicLong counter = new AtomicLong();
  private final Map<OfferId, OutstandingOffer> byId = new LinkedHashMap<>();
  private final Map<AgentId, Map<OfferId, OutstandingOffer>> byAgent = new HashMap<>();
  private final Map<FrameworkId, Map<OfferId, OutstandingOffer>> byFramework = new HashMap<>();

  OfferBook(String runPrefix) {
    this.prefix = runPrefix;
  }

  OfferId nextId() {
    return OfferId.of(prefix + "-O" + counter.incrementAndGet());
  }

  void add(Offer offer, Instant now) {
    OutstandingOffer o = new OutstandingOffer(offer, now);
    byId.put(offer.id(), o);
    byAgent.computeIfAbsent(offer.agentId(), a -> new LinkedHashMap<>()).put(offer.id(), o);
    byFramework.computeIfAbsent(offer.frameworkId(), f -> new LinkedHashMap<>()).put(offer.id(), o);
  }

  Optional<OutstandingOffer> get(OfferId id) {
    return Optional.ofNullable(byId.get(id));
  }

  Optional<OutstandingOffer> remove(OfferId id) {
    OutstandingOffer o = byId.remove(id);
    if (o == null) {
      return Optional.empty();
    }
    Offer offer = o.offer();
    removeFrom(byAgent, offer.agentId(), id);
    removeFrom(byFramework, offer.frameworkId(), id);
    return Optional.of(o);
  }

  List<OutstandingOffer> ofAgent(AgentId agent) {
    return new ArrayList<>(byAgent.getOrDefault(agent, Map.of()).values());
  }

  List<OutstandingOffer> ofFramework(FrameworkId framework) {
    return new ArrayList<>(byFramework.getOrDefault(framework, Map.of()).values());
  }

  int countOf(FrameworkId framework) {
    return byFramework.getOrDefault(framework, Map.of()).size();
  }

  /** Offers created before {@code cutoff}. */
  List<OutstandingOffer> olderThan(Instant cutoff) {
    List<OutstandingOffer> out = new ArrayList<>();
    for (OutstandingOffer o : byId.values()) {
      if (o.createdAt().isBefore(cutoff)) {
        out.add(o);
      }
    }
    return out;
  }

  int size() {
    return byId.size();
  }

  private static <K> void removeFrom(
      Map<K, Map<OfferId, OutstandingOffer>> index, K key, OfferId id) {
    Map<OfferId, OutstandingOffer> m = index.get(key);
    if (m != null) {
      m.remove(id);
      if (m.isEmpty()) {
        index.remove(key);
      }
    }
  }
}
