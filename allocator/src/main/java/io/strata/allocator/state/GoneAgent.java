package io.strata.allocator.state;

import com.fasterxml.jackson.annotation.JsonCreator;
import io.strata.api.AgentId;
import java.time.Instant;

/**
 * An agent removed as GONE: its id is refused until it is forgotten (see the allocator's {@code
 * removedIdsMaxAgeMillis} and {@code removedIdsMaxCount}).
 *
 * @param at when it was removed; null only in state written before removals were timed
 */
public record GoneAgent(AgentId agentId, Instant at) {
  @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
  public GoneAgent {}

  /** The form of older snapshots: the bare id. */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  static GoneAgent untimed(String agentId) {
    return new GoneAgent(AgentId.of(agentId), null);
  }
}
