package io.strata.allocator.state;

import com.fasterxml.jackson.annotation.JsonCreator;
import io.strata.api.FrameworkId;
import java.time.Instant;

/**
 * A framework torn down (or failed over too late): its id is refused until it is forgotten (see the
 * allocator's {@code removedIdsMaxAgeMillis} and {@code removedIdsMaxCount}).
 *
 * @param at when it was removed; null only in state written before removals were timed
 */
public record RemovedFramework(FrameworkId frameworkId, Instant at) {
  @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
  public RemovedFramework {}

  /** The form of older snapshots: the bare id. */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  static RemovedFramework untimed(String frameworkId) {
    return new RemovedFramework(FrameworkId.of(frameworkId), null);
  }
}
