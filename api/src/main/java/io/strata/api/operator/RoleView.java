package io.strata.api.operator;

import io.strata.api.FrameworkId;
import io.strata.api.ResourcePool;
import io.strata.api.Resources;
import java.util.List;

/**
 * A role in the operator API.
 *
 * @param allocated resources held by the role's frameworks (including the roles below it)
 * @param reserved resources reserved for the role on all agents
 * @param dominantShare allocated/total for the role's dominant resource, divided by its weight
 */
public record RoleView(
    String name,
    double weight,
    Quota quota,
    ResourcePool allocated,
    Resources reserved,
    double dominantShare,
    List<FrameworkId> frameworks) {}
