package io.strata.provisioner.cloud;

import io.strata.provisioner.core.Machine;
import java.util.Map;

/**
 * Everything a provider needs to create one machine.
 *
 * @param bootstrap what the machine runs on first boot
 * @param tags to put on every resource created for it (always includes the cluster tag)
 */
public record NodeRequest(Machine machine, Bootstrap bootstrap, Map<String, String> tags) {
  public NodeRequest {
    tags = Map.copyOf(tags);
  }
}
