package io.strata.api;

import io.strata.api.json.Checks;
import java.util.Map;

/**
 * Resources on one agent offered to one framework for one of its roles. The framework answers with
 * ACCEPT (launch tasks, reserve, unreserve) or DECLINE; until then the resources are held for it.
 * The allocator may RESCIND an offer (e.g. the agent went away).
 */
public record Offer(
    OfferId id,
    FrameworkId frameworkId,
    AgentId agentId,
    String hostname,
    Os os,
    Map<String, String> attributes,
    String role,
    ResourcePool resources) {

  public Offer {
    Checks c =
        new Checks()
            .notNull("id", id)
            .notNull("frameworkId", frameworkId)
            .notNull("agentId", agentId)
            .notBlank("hostname", hostname)
            .notNull("os", os)
            .notBlank("role", role)
            .notNull("resources", resources);
    attributes = Attributes.keys(c, "attributes", attributes);
    c.done();
  }
}
