package io.strata.allocator.state;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.api.FrameworkId;

/** One value in a framework's durable key-value store. */
public record StoreEntry(FrameworkId frameworkId, String key, JsonNode value) {}
