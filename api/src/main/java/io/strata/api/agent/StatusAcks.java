package io.strata.api.agent;

import java.util.List;
import java.util.UUID;

/**
 * The answer to {@code POST /v1/agents/{id}/statuses}: every update of the batch, by uuid, is
 * durable at the allocator, which now owns its delivery. The agent may forget them.
 */
public record StatusAcks(List<UUID> uuids) {
  public StatusAcks {
    uuids = uuids == null ? List.of() : List.copyOf(uuids);
  }
}
