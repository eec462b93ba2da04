package io.strata.workloads.core;

import io.strata.api.AgentId;
import io.strata.api.Os;
import java.util.Map;

/**
 * What a framework knows about an agent from the offers it has seen: its identity, the attributes
 * placement constraints look at, and how much was free for this framework the last time it looked.
 */
public record AgentFacts(AgentId agentId, String hostname, Os os, Map<String, String> attributes) {

  public AgentFacts {
    attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
  }

  /**
   * The value of an attribute as constraints see it: {@code hostname}, {@code os} and {@code
   * agentId} are built in; anything else comes from the agent's attributes (null if it has none).
   */
  public String attribute(String name) {
    return switch (name) {
      case Constraint.HOSTNAME -> hostname;
      case Constraint.OS -> os.wire();
      case Constraint.AGENT_ID -> agentId.value();
      default -> attributes.get(name);
    };
  }
}
