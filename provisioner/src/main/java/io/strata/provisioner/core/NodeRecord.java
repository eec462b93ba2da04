package io.strata.provisioner.core;

import java.util.Map;

/**
 * A node as the state file remembers it.
 *
 * @param machine what was asked for
 * @param cloudIds the cloud's ids for what was created for this node (VM, NIC, port...)
 * @param error why it failed, when it did
 */
public record NodeRecord(
    Machine machine,
    NodeStatus status,
    Map<String, String> cloudIds,
    String privateIp,
    String publicIp,
    String error) {
  public NodeRecord {
    cloudIds = cloudIds == null ? Map.of() : Map.copyOf(cloudIds);
  }

  public String name() {
    return machine.name();
  }

  public NodeRecord with(NodeStatus newStatus, String newError) {
    return new NodeRecord(machine, newStatus, cloudIds, privateIp, publicIp, newError);
  }
}
