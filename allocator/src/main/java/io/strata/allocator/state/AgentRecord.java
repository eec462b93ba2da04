package io.strata.allocator.state;

import io.strata.api.AgentId;
import io.strata.api.AgentInfo;
import io.strata.api.ResourcePool;
import io.strata.api.Resources;
import io.strata.api.operator.AgentState;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the allocator must remember about an agent across restarts.
 *
 * @param info as the agent last registered it; its resources hold the static reservations
 * @param dynamicReservations resources moved from unreserved to a role by RESERVE operations
 * @param drainDeadline when tasks still running on a DRAINING agent are killed (null: never)
 * @param markGone remove the agent once it is drained
 * @param credentialSha256 the SHA-256 (hex) of the agent's own credential, issued when it
 *     registered: only that credential acts for this agent. Null in records written before
 *     credentials were kept in the state; such an agent presents the credential derived from its id
 *     ({@code sa1.}), as it did then.
 */
public record AgentRecord(
    AgentId id,
    AgentInfo info,
    AgentState state,
    Map<String, Resources> dynamicReservations,
    Instant registeredAt,
    Instant drainDeadline,
    boolean markGone,
    String credentialSha256) {

  public AgentRecord {
    TreeMap<String, Resources> sorted = new TreeMap<>();
    if (dynamicReservations != null) {
      dynamicReservations.forEach(
          (role, r) -> {
            if (!r.isEmpty()) {
              sorted.put(role, r);
            }
          });
    }
    dynamicReservations = Collections.unmodifiableSortedMap(sorted);
  }

  /**
   * The agent's resources with dynamic reservations moved out of the unreserved part. Reservations
   * that no longer fit (the agent re-registered smaller) are ignored.
   */
  public ResourcePool total() {
    ResourcePool pool = info.resources();
    Resources unreserved = pool.unreserved();
    TreeMap<String, Resources> reserved = new TreeMap<>(pool.reserved());
    for (Map.Entry<String, Resources> e : dynamicReservations.entrySet()) {
      if (unreserved.contains(e.getValue())) {
        unreserved = unreserved.minus(e.getValue());
        reserved.merge(e.getKey(), e.getValue(), Resources::plus);
      }
    }
    return new ResourcePool(unreserved, reserved);
  }

  public AgentRecord withState(AgentState newState, Instant newDeadline, boolean newMarkGone) {
    return new AgentRecord(
        id,
        info,
        newState,
        dynamicReservations,
        registeredAt,
        newDeadline,
        newMarkGone,
        credentialSha256);
  }

  public AgentRecord withReservations(Map<String, Resources> newReservations) {
    return new AgentRecord(
        id, info, state, newReservations, registeredAt, drainDeadline, markGone, credentialSha256);
  }
}
