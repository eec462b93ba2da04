package io.strata.allocator.server.master;

import io.strata.allocator.state.StateEvent;
import io.strata.api.AgentId;
import io.strata.api.FrameworkId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds the ids the allocator refuses, as Mesos bounds the gone agents in its registry ({@code
 * registry_max_agent_age}, {@code registry_max_agent_count}): the id of an agent GONE or a
 * framework removed longer than {@code removedIdsMaxAgeMillis} ago is forgotten, and so are the
 * oldest beyond {@code removedIdsMaxCount} of each kind. A forgotten id is treated as one never
 * seen: an agent registering with it is a new agent (its tasks are killed as unknown), a framework
 * subscribing with it a new framework. Forgetting is journaled ({@link StateEvent.IdsForgotten}).
 */
final class Retention {
  private static final Logger LOG = LoggerFactory.getLogger(Retention.class);
  private final Master m;

  Retention(Master master) {
    this.m = master;
  }

  /** Called periodically by the allocation loop. */
  void tick(Change c, Instant now) {
    Duration maxAge = Duration.ofMillis(m.config.removedIdsMaxAgeMillis());
    int maxCount = m.config.removedIdsMaxCount();
    List<AgentId> agents = m.goneAgents.expired(now, maxAge, maxCount);
    List<FrameworkId> frameworks = m.removedFrameworks.expired(now, maxAge, maxCount);
    if (agents.isEmpty() && frameworks.isEmpty()) {
      return;
    }
    c.journal(new StateEvent.IdsForgotten(agents, frameworks));
    LOG.info(
        "forgot {} GONE agent ids and {} removed framework ids (older than {} or beyond {})",
        agents.size(),
        frameworks.size(),
        maxAge,
        maxCount);
  }
}
