package io.strata.allocator.state;

import io.strata.api.FrameworkId;
import io.strata.api.FrameworkInfo;
import java.time.Instant;

/**
 * What the allocator must remember about a framework across restarts.
 *
 * @param info as last subscribed, with its id set
 * @param principal who subscribed it; only that principal may re-subscribe it or use its store
 * @param disconnectedAt when its stream closed (null while connected); its failover deadline is
 *     this plus {@code info.failoverTimeoutMillis()}
 */
public record FrameworkRecord(
    FrameworkId id,
    FrameworkInfo info,
    String principal,
    Instant registeredAt,
    Instant disconnectedAt) {

  public FrameworkRecord withDisconnectedAt(Instant at) {
    return new FrameworkRecord(id, info, principal, registeredAt, at);
  }

  /** When the framework is removed if it has not re-subscribed; null while connected. */
  public Instant failoverDeadline() {
    return disconnectedAt == null ? null : disconnectedAt.plusMillis(info.failoverTimeoutMillis());
  }
}
