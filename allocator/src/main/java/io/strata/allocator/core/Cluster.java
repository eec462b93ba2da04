package io.strata.allocator.core;

import io.strata.api.AgentId;
import io.strata.api.AgentInfo;
import io.strata.api.FrameworkId;
import io.strata.api.ResourcePool;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The core's state and the bookkeeping every change goes through: agents, frameworks, their clients
 * (framework × role), allocations, offer filters, and which agents the next cycle must look at. It
 * keeps the invariant {@code agent.available + Σ allocations on agent == agent.total}, except on an
 * over-committed agent (its allocations exceed its total), where {@code available} is what {@link
 * Pools#free} leaves: never anything beyond the total.
 */
final class Cluster {
  final AllocationSettings config;
  final RoleTree roles = new RoleTree();

  final Map<AgentId, Agent> agents = new HashMap<>();
  final List<Agent> agentsByIndex = new ArrayList<>();
  private final BitSet freeAgentIndices = new BitSet();

  final Map<FrameworkId, Framework> frameworks = new HashMap<>();
  final List<Client> clientsByIndex = new ArrayList<>();
  private final BitSet freeClientIndices = new BitSet();

  /** Clients in a sorter (wanting offers), and those whose framework may receive GPU agents. */
  long[] wanting = new long[1];

  long[] gpuCapable = new long[1];

  /** Agents the next cycle looks at; {@link #allCandidates} means every agent. */
  final BitSet candidates = new BitSet();

  boolean allCandidates;

  /** Agents where quota limits or headroom held something back in a cycle. */
  final BitSet constrained = new BitSet();

  /**
   * Bumped by changes that may make offers possible anywhere (a framework arrives, revives, quota
   * changes): every agent's "nothing to offer here" memo is void.
   */
  long epoch;

  private record Expiry(long atMillis, Agent agent) {}

  private final PriorityQueue<Expiry> expiries =
      new PriorityQueue<>((a, b) -> Long.compare(a.atMillis, b.atMillis));

  Cluster(AllocationSettings config) {
    this.config = config;
  }

  // ---- agents ---------------------------------------------------------------------------------

  Agent agent(AgentId id) {
    Agent a = agents.get(id);
    if (a == null) {
      throw new IllegalStateException("unknown agent " + id);
    }
    return a;
  }

  Agent newAgent(AgentId id, AgentInfo info, ResourcePool total) {
    int index = freeAgentIndices.isEmpty() ? agentsByIndex.size() : freeAgentIndices.nextSetBit(0);
    Agent a = new Agent(index, id, info, total);
    if (index == agentsByIndex.size()) {
      agentsByIndex.add(a);
    } else {
      agentsByIndex.set(index, a);
      freeAgentIndices.clear(index);
    }
    agents.put(id, a);
    roles.addToClusterTotal(total, +1);
    total.reserved().forEach((role, r) -> roles.trackReservation(role, r, +1));
    markCandidate(a);
    releaseConstrained();
    return a;
  }

  void dropAgent(Agent a) {
    for (Map.Entry<Client, ResourcePool> e : List.copyOf(a.allocations.entrySet())) {
      release(e.getKey(), a, e.getValue());
    }
    if (a.filters != null) {
      for (int c : a.filters.clients()) {
        clientsByIndex.get(c).filteredAgents--;
      }
      a.filters = null;
    }
    a.total.reserved().forEach((role, r) -> roles.trackReservation(role, r, -1));
    roles.addToClusterTotal(a.total, -1);
    roles.correctHeadroom(a.headroomCorrection, -1);
    agents.remove(a.id);
    agentsByIndex.set(a.index, null);
    freeAgentIndices.set(a.index);
    candidates.clear(a.index);
    constrained.clear(a.index);
    releaseConstrained();
  }

  /**
   * Replaces the agent's total. Allocations stay; if they no longer fit, the agent is
   * over-committed until enough of them are released (see {@link Pools#free}).
   */
  void setTotal(Agent a, ResourcePool total) {
    a.total.reserved().forEach((role, r) -> roles.trackReservation(role, r, -1));
    roles.addToClusterTotal(a.total, -1);
    a.setTotal(total);
    roles.addToClusterTotal(total, +1);
    total.reserved().forEach((role, r) -> roles.trackReservation(role, r, +1));
    refreshAvailable(a);
    changed(a);
    releaseConstrained();
  }

  /** Recomputes what is free on the agent from its total and its allocations. */
  void refreshAvailable(Agent a) {
    ResourcePool allocated = allocatedOn(a);
    a.overcommitted = !a.total.contains(allocated);
    a.setAvailable(Pools.free(a.total, allocated));
    roles.correctHeadroom(a.headroomCorrection, -1);
    a.headroomCorrection = null;
    if (a.overcommitted) {
      long[] c = Scalars.of(a.total.unreserved());
      Scalars.subtract(c, allocated.unreserved());
      Scalars.subtract(c, a.available.unreserved());
      a.headroomCorrection = c;
      roles.correctHeadroom(c, +1);
    }
  }

  /**
   * Records {@code pool} as allocated to the client on the agent without taking it from the free
   * resources: resources an agent reports in use (they may exceed its total). Call {@link
   * #refreshAvailable} once all are recorded.
   */
  void attach(Client c, Agent a, ResourcePool pool) {
    if (pool.isEmpty()) {
      return;
    }
    a.allocations.merge(c, pool, Pools::plus);
    c.byAgent.merge(a, pool, Pools::plus);
    roles.trackAllocation(c, pool, +1);
  }

  ResourcePool allocatedOn(Agent a) {
    ResourcePool sum = ResourcePool.EMPTY;
    for (ResourcePool p : a.allocations.values()) {
      sum = sum.plus(p);
    }
    return sum;
  }

  /** Something on the agent changed that may allow new offers there. */
  void changed(Agent a) {
    a.touch();
    markCandidate(a);
  }

  void markCandidate(Agent a) {
    candidates.set(a.index);
  }

  /** Every agent is looked at again and every "nothing to offer here" memo is void. */
  void bumpEpoch() {
    epoch++;
    allCandidates = true;
  }

  /** Resources were freed or quota moved: agents that held something back get another look. */
  void releaseConstrained() {
    for (int i = constrained.nextSetBit(0); i >= 0; i = constrained.nextSetBit(i + 1)) {
      Agent a = agentsByIndex.get(i);
      if (a != null) {
        changed(a);
      }
    }
    constrained.clear();
  }

  // ---- frameworks and clients -----------------------------------------------------------------

  Framework framework(FrameworkId id) {
    Framework f = frameworks.get(id);
    if (f == null || !f.added()) {
      throw new IllegalStateException("unknown framework " + id);
    }
    return f;
  }

  /** The framework, created as a placeholder if only an agent's report names it so far. */
  Framework frameworkOrPlaceholder(FrameworkId id) {
    return frameworks.computeIfAbsent(id, Framework::new);
  }

  Client clientOrCreate(Framework f, String role) {
    Client c = f.clients.get(role);
    if (c != null) {
      return c;
    }
    int index =
        freeClientIndices.isEmpty() ? clientsByIndex.size() : freeClientIndices.nextSetBit(0);
    c = new Client(index, f, roles.getOrCreate(role));
    if (index == clientsByIndex.size()) {
      clientsByIndex.add(c);
    } else {
      clientsByIndex.set(index, c);
      freeClientIndices.clear(index);
    }
    f.clients.put(role, c);
    roles.addClient(c);
    setBit(gpuCapable, index, f.gpuCapable());
    return c;
  }

  /** Puts the client in or out of its role's sorter according to what it wants now. */
  void refreshSorter(Client c) {
    boolean want = c.wantsOffers();
    roles.setInSorter(c, want);
    wanting = setBit(wanting, c.index, want);
    gpuCapable = setBit(gpuCapable, c.index, c.framework.gpuCapable());
  }

  /** Forgets the client if it is neither subscribed nor holding anything. */
  void dropIfUnused(Client c) {
    if (c.subscribed || !c.isEmpty()) {
      return;
    }
    clearFilters(c);
    roles.removeClient(c);
    wanting = setBit(wanting, c.index, false);
    c.framework.clients.remove(c.role.name);
    clientsByIndex.set(c.index, null);
    freeClientIndices.set(c.index);
    roles.tryRemove(c.role);
    if (!c.framework.added() && c.framework.clients.isEmpty()) {
      frameworks.remove(c.framework.id);
    }
  }

  private static long[] setBit(long[] bits, int index, boolean on) {
    int w = index >>> 6;
    if (w >= bits.length) {
      if (!on) {
        return bits;
      }
      bits = java.util.Arrays.copyOf(bits, Math.max(w + 1, bits.length * 2));
    }
    if (on) {
      bits[w] |= 1L << index;
    } else {
      bits[w] &= ~(1L << index);
    }
    return bits;
  }

  // ---- allocations ----------------------------------------------------------------------------

  /** Allocates {@code pool} on the agent to the client; it must be free there. */
  void allocate(Client c, Agent a, ResourcePool pool) {
    if (pool.isEmpty()) {
      return;
    }
    a.setAvailable(Pools.minus(a.available, pool, "agent " + a.id + " free resources"));
    a.allocations.merge(c, pool, Pools::plus);
    c.byAgent.merge(a, pool, Pools::plus);
    roles.trackAllocation(c, pool, +1);
  }

  /** Gives {@code pool} back from the client's allocation on the agent to the free resources. */
  void release(Client c, Agent a, ResourcePool pool) {
    if (pool.isEmpty()) {
      return;
    }
    ResourcePool held = c.byAgent.get(a);
    if (held == null || !Pools.contains(held, pool)) {
      throw new IllegalStateException(
          "framework "
              + c.framework.id
              + " holds "
              + (held == null ? "nothing" : held)
              + " for role "
              + c.role.name
              + " on agent "
              + a.id
              + ", cannot give back "
              + pool);
    }
    ResourcePool rest = Pools.minus(held, pool, "allocation");
    if (rest.isEmpty()) {
      c.byAgent.remove(a);
      a.allocations.remove(c);
    } else {
      c.byAgent.put(a, rest);
      a.allocations.put(c, rest);
    }
    if (a.overcommitted) {
      refreshAvailable(a);
    } else {
      a.setAvailable(Pools.plus(a.available, pool));
    }
    roles.trackAllocation(c, pool, -1);
    changed(a);
    releaseConstrained();
  }

  // ---- filters --------------------------------------------------------------------------------

  void addFilter(Client c, Agent a, ResourcePool refused, long expiresAtMillis) {
    AgentFilters f = a.filters();
    boolean had = f.get(c.index) != null;
    f.add(c.index, refused, expiresAtMillis);
    if (!had && f.get(c.index) != null) {
      c.filteredAgents++;
    }
    if (f.basis != null) {
      f.updateCoverage(c.index, a.available, Pools.usableBy(f.basis, c.role.name));
    }
    if (expiresAtMillis < Long.MAX_VALUE) {
      expiries.add(new Expiry(expiresAtMillis, a));
    }
  }

  /** Removes every filter of the client (revive, deactivation, removal). */
  void clearFilters(Client c) {
    if (c.filteredAgents == 0) {
      return;
    }
    for (Agent a : agentsByIndex) {
      if (a != null && a.filters != null && a.filters.remove(c.index)) {
        changed(a);
      }
    }
    c.filteredAgents = 0;
  }

  /** Drops filters that expired at {@code nowMillis}; their agents become candidates. */
  void expireFilters(long nowMillis) {
    while (!expiries.isEmpty() && expiries.peek().atMillis <= nowMillis) {
      Agent a = expiries.poll().agent;
      if (agentsByIndex.size() <= a.index || agentsByIndex.get(a.index) != a) {
        continue;
      }
      if (a.filters == null || a.filters.minExpiryMillis > nowMillis) {
        continue;
      }
      for (int c : a.filters.expire(nowMillis)) {
        clientsByIndex.get(c).filteredAgents--;
      }
      changed(a);
    }
  }

  /** The earliest time a filter expires, or {@link Long#MAX_VALUE}. */
  long nextExpiryMillis() {
    while (!expiries.isEmpty()) {
      Expiry e = expiries.peek();
      Agent a = e.agent;
      boolean live =
          agentsByIndex.size() > a.index
              && agentsByIndex.get(a.index) == a
              && a.filters != null
              && a.filters.minExpiryMillis <= e.atMillis;
      if (live) {
        return e.atMillis;
      }
      expiries.poll();
    }
    return Long.MAX_VALUE;
  }
}
