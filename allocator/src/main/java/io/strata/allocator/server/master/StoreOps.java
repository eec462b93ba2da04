package io.strata.allocator.server.master;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.allocator.server.config.AllocatorConfig.Principal;
import io.strata.allocator.state.StateEvent;
import io.strata.api.FrameworkId;
import io.strata.api.json.Problem;
import io.strata.api.json.Violation;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;

/**
 * Frameworks' durable key-value stores: small JSON documents (specs, checkpoints) a framework keeps
 * at the allocator so it survives its own restarts. Only the framework's principal may use it.
 */
public final class StoreOps {
  static final int MAX_KEY_LENGTH = 512;
  private final Master m;

  StoreOps(Master master) {
    this.m = master;
  }

  public List<String> keys(Principal principal, FrameworkId id) {
    return m.read(
        () -> {
          m.frameworks().owned(principal, id);
          return List.copyOf(m.durable().store(id).keySet());
        });
  }

  public Optional<JsonNode> get(Principal principal, FrameworkId id, String key) {
    checkKey(key);
    return m.read(
        () -> {
          m.frameworks().owned(principal, id);
          return Optional.ofNullable(m.durable().store(id).get(key));
        });
  }

  public void put(Principal principal, FrameworkId id, String key, JsonNode value, int bytes) {
    checkKey(key);
    if (bytes > m.config.storeMaxValueBytes()) {
      throw new ApiError(
          Problem.of(
              413,
              "Value too large",
              "the value is "
                  + bytes
                  + " bytes; a store value may have at most "
                  + m.config.storeMaxValueBytes()));
    }
    m.run(
        c -> {
          m.frameworks().owned(principal, id);
          SortedMap<String, JsonNode> entries = m.durable().store(id);
          if (!entries.containsKey(key) && entries.size() >= m.config.storeMaxKeys()) {
            throw ApiError.conflict(
                "the store of framework " + id + " is full (" + m.config.storeMaxKeys() + " keys)");
          }
          c.journal(new StateEvent.StorePut(id, key, value));
          return null;
        });
  }

  public void delete(Principal principal, FrameworkId id, String key) {
    checkKey(key);
    m.run(
        c -> {
          m.frameworks().owned(principal, id);
          if (m.durable().store(id).containsKey(key)) {
            c.journal(new StateEvent.StoreDeleted(id, key));
          }
          return null;
        });
  }

  private static void checkKey(String key) {
    String problem = null;
    if (key == null || key.isBlank()) {
      problem = "must not be blank";
    } else if (key.length() > MAX_KEY_LENGTH) {
      problem = "must be at most " + MAX_KEY_LENGTH + " characters";
    } else if (key.chars().anyMatch(Character::isISOControl)) {
      problem = "must not contain control characters";
    }
    if (problem != null) {
      throw ApiError.invalid(400, "Invalid key", List.of(new Violation("key", problem)));
    }
  }
}
