package io.strata.allocator.state;

import io.strata.api.FrameworkId;
import io.strata.api.FrameworkInfo;
import java.time.Instant;
import java.util.Collections;
import java.util.Comparator;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the allocator must remember about a framework across restarts.
 *
 * @param info as last subscribed, with its id set
 * @param principal who subscribed it; only that principal may re-subscribe it or use its store
 * @param disconnectedAt when its stream closed (null while connected); its failover deadline is
 *     this plus {@code info.failoverTimeoutMillis()}
 * @param suppressedRoles roles it wants no offers for: set by SUBSCRIBE, changed by SUPPRESS and
 *     REVIVE, kept across allocator restarts until it subscribes again (absent in older journals:
 *     none)
 * @param subscriptionOrder its place in the order frameworks first subscribed (1, 2, ...; kept on
 *     re-subscription): the allocator breaks ties between equal shares within a role by it. Absent
 *     (0) in journals and snapshots of older versions; such frameworks recover before every
 *     framework that has one, among themselves by {@code registeredAt}, then id ({@link #ORDER}).
 */
public record FrameworkRecord(
    FrameworkId id,
    FrameworkInfo info,
    String principal,
    Instant registeredAt,
    Instant disconnectedAt,
    Set<String> suppressedRoles,
    long subscriptionOrder) {

  /** Subscription order: {@code subscriptionOrder}, then (older records) registration, then id. */
  public static final Comparator<FrameworkRecord> ORDER =
      Comparator.comparingLong(FrameworkRecord::subscriptionOrder)
          .thenComparing(
              FrameworkRecord::registeredAt, Comparator.nullsFirst(Comparator.naturalOrder()))
          .thenComparing(FrameworkRecord::id);

  public FrameworkRecord {
    if (subscriptionOrder < 0) {
      throw new IllegalArgumentException("subscriptionOrder < 0: " + subscriptionOrder);
    }
    suppressedRoles =
        suppressedRoles == null || suppressedRoles.isEmpty()
            ? Set.of()
            : Collections.unmodifiableSortedSet(new TreeSet<>(suppressedRoles));
  }

  /** A framework that suppresses no role. */
  public FrameworkRecord(
      FrameworkId id,
      FrameworkInfo info,
      String principal,
      Instant registeredAt,
      Instant disconnectedAt) {
    this(id, info, principal, registeredAt, disconnectedAt, Set.of(), 0);
  }

  public FrameworkRecord withDisconnectedAt(Instant at) {
    return new FrameworkRecord(
        id, info, principal, registeredAt, at, suppressedRoles, subscriptionOrder);
  }

  public FrameworkRecord withSuppressedRoles(Set<String> roles) {
    return new FrameworkRecord(
        id, info, principal, registeredAt, disconnectedAt, roles, subscriptionOrder);
  }

  /** When the framework is removed if it has not re-subscribed; null while connected. */
  public Instant failoverDeadline() {
    return disconnectedAt == null ? null : disconnectedAt.plusMillis(info.failoverTimeoutMillis());
  }
}
