package io.strata.allocator.state;

import com.fasterxml.jackson.annotation.JsonCreator;
import io.strata.api.AgentId;
import java.time.Instant;

/**
 * An agent removed as GONE: its id is refused until it is forgotten (see the allocator's {@code
 * removedIdsMaxAgeMillis} and {@code removedIdsMaxCount}).
 *
 * @param at when it was removed; null only in state written before removals were timed
 * @param revoked removed because an operator revoked its credential (its calls are answered 401
 *     saying so, not 410)
 */
public record GoneAgent(AgentId agentId, Instant at, boolean revoked) {
  @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
  public GoneAgent {}

  public GoneAgent(AgentId agentId, Instant at) {
    this(agentId, at, false);
  }

  /** The form of older snapshots: the bare id. */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  static GoneAgent untimed(String agentId) {
    return new GoneAgent(AgentId.of(agentId), null, false);
  }
}
