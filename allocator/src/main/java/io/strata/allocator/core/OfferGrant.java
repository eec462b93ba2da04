package io.strata.allocator.core;

import io.strata.api.AgentId;
import io.strata.api.FrameworkId;
import io.strata.api.ResourcePool;

/**
 * Resources the allocator has allocated to a framework for one of its roles on one agent: what the
 * server turns into one offer. They stay allocated to the framework until the server hands them
 * back with {@link HierarchicalAllocator#recoverResources} (decline, rescind, the unused part of an
 * accept, a finished task).
 */
public record OfferGrant(
    FrameworkId frameworkId, AgentId agentId, String role, ResourcePool resources) {
  public OfferGrant {
    if (frameworkId == null || agentId == null || role == null || resources == null) {
      throw new IllegalArgumentException("an offer grant needs framework, agent, role, resources");
    }
  }
}
