package io.strata.provisioner.cloud;

import io.strata.provisioner.core.Machine;
import java.util.Map;

/**
 * A create the cloud accepted. {@code cloudIds} go to the state file; {@code handle} is the
 * provider's own (an LRO poller, a server id) and lives only in memory.
 */
public record NodeOperation(Machine machine, Map<String, String> cloudIds, Object handle) {
  public NodeOperation {
    cloudIds = Map.copyOf(cloudIds);
  }
}
