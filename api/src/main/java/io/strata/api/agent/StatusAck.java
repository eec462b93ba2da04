package io.strata.api.agent;

import java.util.UUID;

/**
 * The answer to {@code POST /v1/agents/{id}/status}: the update with this uuid is durable at the
 * allocator, which now owns its delivery to the framework. The agent may forget it.
 */
public record StatusAck(UUID uuid) {}
