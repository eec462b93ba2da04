package io.strata.workloads.framework;

import io.strata.api.AgentId;
import io.strata.api.Offer;
import io.strata.api.Resources;
import io.strata.workloads.core.AgentFacts;
import io.strata.workloads.core.Candidate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a framework has learnt from the offers it has seen: each agent's identity and attributes,
 * and what was free for it there the last time (an offer, minus what it launched from it). Agents
 * without an outstanding offer still take part in explaining why tasks wait. (The allocator's own
 * book of outstanding offers is another thing: this is the framework's memory of the agents.)
 */
public final class OfferedAgents {
  private final Map<AgentId, AgentFacts> agents = new LinkedHashMap<>();
  private final Map<AgentId, Resources> lastFree = new LinkedHashMap<>();
  private final Set<AgentId> draining = new HashSet<>();

  /** Learns from new offers; returns them as candidates, plus every other known agent. */
  public List<Candidate> candidates(List<Offer> offers) {
    List<Candidate> out = new ArrayList<>(offers.size());
    Set<AgentId> offering = new HashSet<>();
    for (Offer o : offers) {
      AgentFacts facts = new AgentFacts(o.agentId(), o.hostname(), o.os(), o.attributes());
      agents.put(o.agentId(), facts);
      draining.remove(o.agentId());
      Resources free = o.resources().total();
      lastFree.put(
          o.agentId(), offering.add(o.agentId()) ? free : lastFree.get(o.agentId()).plus(free));
      out.add(new Candidate(o.id(), facts, free));
    }
    for (Map.Entry<AgentId, AgentFacts> e : agents.entrySet()) {
      if (!offering.contains(e.getKey()) && !draining.contains(e.getKey())) {
        out.add(new Candidate(null, e.getValue(), lastFree.get(e.getKey())));
      }
    }
    return out;
  }

  /** Every known agent (without offers), for explaining waits between offer rounds. */
  public List<Candidate> knownAgents() {
    return candidates(List.of());
  }

  /** Something was launched on the agent: it has that much less free. */
  public void used(AgentId agent, Resources resources) {
    lastFree.computeIfPresent(agent, (k, free) -> free.minusClamped(resources));
  }

  /** The agent is draining or gone: it takes no part in placement until it offers again. */
  public void exclude(AgentId agent) {
    draining.add(agent);
  }

  public void forget(AgentId agent) {
    agents.remove(agent);
    lastFree.remove(agent);
    draining.remove(agent);
  }

  public Optional<AgentFacts> agent(AgentId agent) {
    return Optional.ofNullable(agents.get(agent));
  }

  /** Remembers an agent learnt some other way (e.g. the operator API after a restart). */
  public void learn(AgentFacts facts) {
    agents.putIfAbsent(facts.agentId(), facts);
    lastFree.putIfAbsent(facts.agentId(), Resources.EMPTY);
  }

  public int size() {
    return agents.size();
  }
}
