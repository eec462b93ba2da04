package io.strata.provisioner.core;

import java.util.Map;
import java.util.TreeMap;

/**
 * What has been created for a cluster: the content of its state file. Values only; the state store
 * writes a new one after every completed step.
 *
 * @param cluster the cluster's name
 * @param cloud the cloud it lives in
 * @param network the shared network's cloud ids, or empty when none was created yet
 * @param nodes by name
 * @param secrets the cluster CA and the join token (the state file is readable by its owner only)
 * @param allocatorEndpoint the allocator's operator API once known
 */
public record ClusterRecord(
    String cluster,
    String cloud,
    Map<String, String> network,
    Map<String, NodeRecord> nodes,
    ClusterSecrets secrets,
    String allocatorEndpoint) {
  public ClusterRecord {
    network = network == null ? Map.of() : Map.copyOf(network);
    nodes = nodes == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(nodes));
  }

  public static ClusterRecord empty(String cluster, String cloud, ClusterSecrets secrets) {
    return new ClusterRecord(cluster, cloud, Map.of(), Map.of(), secrets, null);
  }

  public boolean hasNetwork() {
    return !network.isEmpty();
  }

  public ClusterRecord withNetwork(Map<String, String> ids) {
    return new ClusterRecord(cluster, cloud, ids, nodes, secrets, allocatorEndpoint);
  }

  public ClusterRecord withNode(NodeRecord node) {
    TreeMap<String, NodeRecord> next = new TreeMap<>(nodes);
    next.put(node.name(), node);
    return new ClusterRecord(cluster, cloud, network, next, secrets, allocatorEndpoint);
  }

  public ClusterRecord withoutNode(String name) {
    TreeMap<String, NodeRecord> next = new TreeMap<>(nodes);
    next.remove(name);
    return new ClusterRecord(cluster, cloud, network, next, secrets, allocatorEndpoint);
  }

  public ClusterRecord withAllocatorEndpoint(String endpoint) {
    return new ClusterRecord(cluster, cloud, network, nodes, secrets, endpoint);
  }

  /** The state once {@code change} happened. Pure. */
  public ClusterRecord after(StateChange change) {
    return switch (change) {
      case StateChange.Began b ->
          new ClusterRecord(cluster, cloud, network, nodes, b.secrets(), allocatorEndpoint);
      case StateChange.NetworkCreated n -> withNetwork(n.ids());
      case StateChange.AllocatorEndpoint e -> withAllocatorEndpoint(e.url());
      case StateChange.NodeRecorded n -> withNode(n.node());
      case StateChange.NodesReady r -> {
        ClusterRecord next = this;
        for (String name : r.names()) {
          next = next.withNode(next.nodes.get(name).with(NodeStatus.READY, null));
        }
        yield next;
      }
      case StateChange.NodeDeleted d -> withoutNode(d.name());
    };
  }
}
