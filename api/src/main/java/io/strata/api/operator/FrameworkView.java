package io.strata.api.operator;

import io.strata.api.FrameworkId;
import io.strata.api.FrameworkInfo;
import io.strata.api.ResourcePool;
import java.time.Instant;
import java.util.Set;

/**
 * A framework in the operator API.
 *
 * @param connected it has a subscription stream open
 * @param allocated resources held by its tasks and outstanding offers
 * @param suppressedRoles roles for which it asked not to receive offers
 */
public record FrameworkView(
    FrameworkId id,
    FrameworkInfo info,
    String principal,
    boolean connected,
    ResourcePool allocated,
    int activeTasks,
    int outstandingOffers,
    Set<String> suppressedRoles,
    Instant registeredAt,
    Instant disconnectedAt) {}
