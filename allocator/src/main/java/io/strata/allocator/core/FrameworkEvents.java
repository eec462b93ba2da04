package io.strata.allocator.core;

import io.strata.api.AgentId;
import io.strata.api.FrameworkId;
import io.strata.api.FrameworkInfo;
import io.strata.api.ResourcePool;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** What happens to the core's state when a framework arrives, changes, suspends or leaves. */
final class FrameworkEvents {
  private final Cluster cluster;

  /** The last {@link Framework#order} given. */
  private long lastOrder;

  FrameworkEvents(Cluster cluster) {
    this.cluster = cluster;
  }

  void add(
      FrameworkId id,
      FrameworkInfo info,
      Map<AgentId, Map<String, ResourcePool>> used,
      boolean active,
      Set<String> suppressed) {
    checkInfo(id, info, suppressed);
    Framework existing = cluster.frameworks.get(id);
    if (existing != null && existing.added()) {
      throw new IllegalStateException("framework " + id + " is already added");
    }
    if (used != null) {
      checkUsedFits(existing, used);
    }
    Framework f = cluster.frameworkOrPlaceholder(id);
    f.order = ++lastOrder;
    // A placeholder's clients are in no sorter (it is not active), so their keys may change.
    f.clients.values().forEach(c -> c.keyOrder = f.order);
    f.info = info;
    f.active = active;
    f.suppressed.addAll(suppressed);
    for (String role : info.roles()) {
      cluster.clientOrCreate(f, role).subscribed = true;
    }
    if (used != null) {
      new TreeMap<>(used)
          .forEach(
              (agentId, byRole) -> {
                Agent a = cluster.agent(agentId);
                new TreeMap<>(byRole)
                    .forEach(
                        (role, pool) -> {
                          Client c = cluster.clientOrCreate(f, role);
                          if (!a.allocations.containsKey(c)) {
                            cluster.allocate(c, a, pool);
                          }
                        });
              });
    }
    refreshAll(f);
    if (active) {
      cluster.bumpEpoch();
    }
  }

  /**
   * Fails, before anything changes, if an agent is unknown or what would be newly allocated there
   * is not free (allocations an agent already reported for this framework and role stand).
   */
  private void checkUsedFits(Framework existing, Map<AgentId, Map<String, ResourcePool>> used) {
    used.forEach(
        (agentId, byRole) -> {
          Agent a = cluster.agent(agentId);
          ResourcePool added = ResourcePool.EMPTY;
          for (Map.Entry<String, ResourcePool> e : byRole.entrySet()) {
            io.strata.api.Roles.check(e.getKey());
            Client known = existing == null ? null : existing.clients.get(e.getKey());
            if (known == null || !a.allocations.containsKey(known)) {
              added = added.plus(e.getValue());
            }
          }
          if (!a.available.contains(added)) {
            throw new IllegalStateException(
                "agent " + agentId + ": " + added + " is not free (free: " + a.available + ")");
          }
        });
  }

  void update(FrameworkId id, FrameworkInfo info, Set<String> suppressed) {
    checkInfo(id, info, suppressed);
    Framework f = cluster.framework(id);
    Set<String> unsuppressed = new TreeSet<>(f.suppressed);
    unsuppressed.removeAll(suppressed);
    f.info = info;
    f.suppressed.clear();
    f.suppressed.addAll(suppressed);
    for (Client c : List.copyOf(f.clients.values())) {
      boolean subscribed = info.roles().contains(c.role.name);
      if (c.subscribed && !subscribed) {
        c.subscribed = false;
        cluster.clearFilters(c);
      }
      if (subscribed && unsuppressed.contains(c.role.name)) {
        cluster.clearFilters(c);
      }
      c.subscribed = subscribed;
    }
    for (String role : info.roles()) {
      cluster.clientOrCreate(f, role).subscribed = true;
    }
    refreshAll(f);
    for (Client c : List.copyOf(f.clients.values())) {
      cluster.dropIfUnused(c);
    }
    cluster.bumpEpoch();
  }

  void setActive(FrameworkId id, boolean active) {
    Framework f = cluster.framework(id);
    if (f.active == active) {
      return;
    }
    f.active = active;
    if (!active) {
      for (Client c : f.clients.values()) {
        cluster.clearFilters(c);
      }
    }
    refreshAll(f);
    if (active) {
      cluster.bumpEpoch();
    }
  }

  void remove(FrameworkId id) {
    Framework f = cluster.frameworks.get(id);
    if (f == null) {
      throw new IllegalStateException("unknown framework " + id);
    }
    for (Client c : List.copyOf(f.clients.values())) {
      for (Map.Entry<Agent, ResourcePool> e : List.copyOf(c.byAgent.entrySet())) {
        cluster.release(c, e.getKey(), e.getValue());
      }
      c.subscribed = false;
      cluster.dropIfUnused(c);
    }
    cluster.frameworks.remove(id);
  }

  void suppress(FrameworkId id, Set<String> roles) {
    Framework f = cluster.framework(id);
    for (String role : rolesOf(f, roles)) {
      f.suppressed.add(role);
      cluster.refreshSorter(f.clients.get(role));
    }
  }

  void revive(FrameworkId id, Set<String> roles) {
    Framework f = cluster.framework(id);
    for (String role : rolesOf(f, roles)) {
      f.suppressed.remove(role);
      Client c = f.clients.get(role);
      cluster.clearFilters(c);
      cluster.refreshSorter(c);
    }
    cluster.bumpEpoch();
  }

  private static Set<String> rolesOf(Framework f, Set<String> roles) {
    if (roles.isEmpty()) {
      return f.roles();
    }
    for (String role : roles) {
      if (!f.roles().contains(role)) {
        throw new IllegalArgumentException(
            "framework " + f.id + " is not subscribed to role " + role);
      }
    }
    return new TreeSet<>(roles);
  }

  private void refreshAll(Framework f) {
    for (Client c : f.clients.values()) {
      cluster.refreshSorter(c);
    }
  }

  private static void checkInfo(FrameworkId id, FrameworkInfo info, Set<String> suppressed) {
    if (info.id() != null && !info.id().equals(id)) {
      throw new IllegalArgumentException("framework info names " + info.id() + ", not " + id);
    }
    for (String role : suppressed) {
      if (!info.roles().contains(role)) {
        throw new IllegalArgumentException(
            "suppressed role " + role + " is not one of the framework's roles " + info.roles());
      }
    }
  }
}
