package io.strata.allocator.core;

import io.strata.api.AgentId;
import io.strata.api.FrameworkId;
import io.strata.api.ResourcePool;
import io.strata.api.operator.RoleView;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Read-only views of the core's state for the operator API and metrics. */
final class CoreViews {
  private final Cluster cluster;

  CoreViews(Cluster cluster) {
    this.cluster = cluster;
  }

  /** All roles in one pass over the clients (the operator API and metrics call it often). */
  List<RoleView> roles() {
    Map<String, ResourcePool> allocated = new TreeMap<>();
    Map<String, List<FrameworkId>> frameworks = new TreeMap<>();
    for (Framework f : cluster.frameworks.values()) {
      for (Client c : f.clients.values()) {
        ResourcePool held = held(c);
        for (RoleNode n = c.role; !n.isRoot(); n = n.parent) {
          allocated.merge(n.name, held, ResourcePool::plus);
        }
        frameworks.computeIfAbsent(c.role.name, k -> new ArrayList<>()).add(f.id);
      }
    }
    List<RoleView> out = new ArrayList<>();
    for (RoleNode node : cluster.roles.all()) {
      out.add(
          view(
              node,
              allocated.getOrDefault(node.name, ResourcePool.EMPTY),
              frameworks.getOrDefault(node.name, List.of())));
    }
    return out;
  }

  Optional<RoleView> role(String name) {
    RoleNode node = cluster.roles.get(name);
    if (node == null) {
      return Optional.empty();
    }
    ResourcePool allocated = ResourcePool.EMPTY;
    List<FrameworkId> frameworks = new ArrayList<>();
    for (Framework f : cluster.frameworks.values()) {
      for (Client c : f.clients.values()) {
        if (io.strata.api.Roles.isSelfOrDescendant(c.role.name, node.name)) {
          allocated = allocated.plus(held(c));
        }
        if (c.role == node) {
          frameworks.add(f.id);
        }
      }
    }
    return Optional.of(view(node, allocated, frameworks));
  }

  private static ResourcePool held(Client c) {
    ResourcePool sum = ResourcePool.EMPTY;
    for (ResourcePool p : c.byAgent.values()) {
      sum = Pools.plus(sum, p);
    }
    return sum;
  }

  private RoleView view(RoleNode node, ResourcePool allocated, List<FrameworkId> frameworks) {
    List<FrameworkId> sorted = new ArrayList<>(frameworks);
    Collections.sort(sorted);
    double share = Scalars.share(node.shareNumerator(), cluster.roles.clusterTotal, node.weight);
    return new RoleView(
        node.name,
        node.weight,
        node.quota,
        allocated,
        Scalars.toResources(node.ownReserved),
        share,
        List.copyOf(sorted));
  }

  Map<FrameworkId, Map<String, ResourcePool>> agentAllocations(Agent a) {
    Map<FrameworkId, Map<String, ResourcePool>> out = new TreeMap<>();
    a.allocations.forEach(
        (c, pool) ->
            out.computeIfAbsent(c.framework.id, k -> new TreeMap<>()).put(c.role.name, pool));
    return freeze(out);
  }

  Map<AgentId, Map<String, ResourcePool>> frameworkAllocations(Framework f) {
    Map<AgentId, Map<String, ResourcePool>> out = new TreeMap<>();
    for (Client c : f.clients.values()) {
      c.byAgent.forEach(
          (a, pool) -> out.computeIfAbsent(a.id, k -> new TreeMap<>()).put(c.role.name, pool));
    }
    return freeze(out);
  }

  private static <K, V> Map<K, Map<String, V>> freeze(Map<K, Map<String, V>> m) {
    Map<K, Map<String, V>> out = new TreeMap<>();
    m.forEach((k, v) -> out.put(k, Collections.unmodifiableMap(v)));
    return Collections.unmodifiableMap(out);
  }
}
