package io.strata.allocator.core;

import io.strata.api.ResourcePool;
import io.strata.api.Resources;
import java.util.ArrayList;
import java.util.List;

/**
 * One allocation cycle over the candidate agents, in two stages as Mesos' hierarchical allocator:
 * first roles whose quota guarantee is unmet, then everyone. On each agent, roles and their
 * frameworks are visited in DRF order and a chosen framework gets everything still free there that
 * its role may use, trimmed only by quota limits and by the headroom unmet guarantees need.
 */
final class AllocationCycle {
  private final Cluster cluster;
  private final RoleTree roles;
  private final SeededRandom random;
  private final List<OfferGrant> grants = new ArrayList<>();
  private int[] order = new int[0];
  private boolean quotaActive;
  private boolean guaranteeGranted;
  private int considered;
  private int scanned;

  AllocationCycle(Cluster cluster, SeededRandom random) {
    this.cluster = cluster;
    this.roles = cluster.roles;
    this.random = random;
  }

  /**
   * Runs one cycle at {@code nowMillis}, first dropping the filters due by {@code
   * previousCycleMillis}; returns the grants in the order they were made.
   */
  List<OfferGrant> run(long nowMillis, long previousCycleMillis) {
    grants.clear();
    guaranteeGranted = false;
    scanned = 0;
    cluster.expireFilters(Math.min(nowMillis, previousCycleMillis));
    int n = collectCandidates();
    considered = n;
    if (n == 0) {
      return List.of();
    }
    roles.flush();
    quotaActive = !roles.quotaRoles.isEmpty();
    if (quotaActive && anyUnmetGuarantee()) {
      random.shuffle(order, n);
      for (int i = 0; i < n; i++) {
        guaranteeStage(cluster.agentsByIndex.get(order[i]));
      }
    }
    random.shuffle(order, n);
    for (int i = 0; i < n; i++) {
      fairShareStage(cluster.agentsByIndex.get(order[i]));
    }
    if (guaranteeGranted) {
      // Guarantees got closer to being met, so less headroom is needed: look again next cycle.
      cluster.releaseConstrained();
    }
    return List.copyOf(grants);
  }

  int considered() {
    return considered;
  }

  int scanned() {
    return scanned;
  }

  private int collectCandidates() {
    int size = cluster.agentsByIndex.size();
    if (order.length < size) {
      order = new int[Math.max(size, order.length * 2)];
    }
    int n = 0;
    if (cluster.allCandidates) {
      for (int i = 0; i < size; i++) {
        Agent a = cluster.agentsByIndex.get(i);
        if (a != null && a.active) {
          order[n++] = i;
        }
      }
    } else {
      for (int i = cluster.candidates.nextSetBit(0);
          i >= 0;
          i = cluster.candidates.nextSetBit(i + 1)) {
        Agent a = cluster.agentsByIndex.get(i);
        if (a != null && a.active) {
          order[n++] = i;
        }
      }
    }
    cluster.allCandidates = false;
    cluster.candidates.clear();
    return n;
  }

  private boolean anyUnmetGuarantee() {
    for (RoleNode r : roles.quotaRoles.values()) {
      if (r.activeClients > 0
          && !r.quota.guarantee().isEmpty()
          && !Scalars.isZero(roles.unsatisfiedGuarantee(r))) {
        return true;
      }
    }
    return false;
  }

  private boolean skipsGpuAgent(Agent a, Client c) {
    return a.hasGpus && cluster.config.filterGpuAgents() && !c.framework.gpuCapable();
  }

  // ---- stage 1: unmet guarantees --------------------------------------------------------------

  private void guaranteeStage(Agent a) {
    if (a.freeEmpty) {
      return;
    }
    AgentFilters filters = validFilters(a);
    roles.walk(
        role -> {
          if (a.freeEmpty) {
            return false;
          }
          if (role.quota.guarantee().isEmpty()) {
            return true;
          }
          for (Client c : role.clients) {
            long[] unmet = roles.unsatisfiedGuarantee(role);
            if (Scalars.isZero(unmet)) {
              return true;
            }
            if (skipsGpuAgent(a, c) || (filters != null && filters.isCovered(c.index))) {
              continue;
            }
            ResourcePool offer = guaranteeOffer(a, role, unmet);
            if (offer == null) {
              return true;
            }
            if (filters != null && filters.blocks(c.index, offer)) {
              continue;
            }
            grant(c, a, offer);
            guaranteeGranted = true;
          }
          return true;
        });
    roles.flush();
  }

  /**
   * Stage one's offer to a role on an agent: unreserved resources up to its unmet guarantee, plus
   * its own reservations and the ports, plus the rest of the unreserved scalars within its limit
   * and the spare headroom. Null if nothing would make progress toward the guarantee.
   */
  private ResourcePool guaranteeOffer(Agent a, RoleNode role, long[] unmet) {
    Resources unreserved = a.available.unreserved();
    Resources toward = Scalars.shrink(unreserved, unmet).withPorts(null);
    if (Scalars.isZero(Scalars.of(toward))) {
      return null;
    }
    Resources extra = unreserved.withPorts(null).minus(toward);
    long[] cap = roles.limitAllowance(role);
    if (cap != null) {
      Scalars.subtract(cap, Scalars.of(toward));
    }
    cap = withHeadroom(cap, null);
    Resources trimmed = cap == null ? extra : Scalars.shrink(extra, cap);
    if (!trimmed.equals(extra)) {
      cluster.constrained.set(a.index);
    }
    Resources unres = toward.plus(trimmed).withPorts(unreserved.ports());
    ResourcePool offer = Pools.of(unres, Pools.reservedFor(a.available, role.name).reserved());
    return Pools.allocatable(offer, cluster.config.minAllocatable()) ? offer : null;
  }

  // ---- stage 2: everyone ----------------------------------------------------------------------

  private void fairShareStage(Agent a) {
    if (a.freeEmpty || a.knownFruitless(cluster.epoch)) {
      return;
    }
    AgentFilters filters = validFilters(a);
    if (filters != null && nobodyUnfiltered(a, filters)) {
      a.markFruitless(cluster.epoch);
      return;
    }
    scanned++;
    int before = grants.size();
    roles.walk(
        role -> {
          if (a.freeEmpty) {
            return false;
          }
          ResourcePool usable = a.usableBy(role.name);
          ResourcePool offer = null;
          for (Client c : role.clients) {
            if (skipsGpuAgent(a, c) || (filters != null && filters.isCovered(c.index))) {
              continue;
            }
            if (offer == null) {
              offer = fairShareOffer(a, role, usable);
              if (offer == null) {
                return true;
              }
            }
            if (filters != null && filters.blocks(c.index, offer)) {
              continue;
            }
            grant(c, a, offer);
            usable = a.usableBy(role.name);
            if (usable.isEmpty()) {
              return true;
            }
            offer = null;
          }
          return true;
        });
    roles.flush();
    if (grants.size() == before) {
      a.markFruitless(cluster.epoch);
    }
  }

  /**
   * Stage two's offer to a role: everything it may use on the agent, the unreserved scalars trimmed
   * to its limit and to the headroom unmet guarantees need. Null if that is not allocatable.
   */
  private ResourcePool fairShareOffer(Agent a, RoleNode role, ResourcePool usable) {
    if (usable.isEmpty()) {
      return null;
    }
    ResourcePool offer = usable;
    if (quotaActive) {
      long[] cap = withHeadroom(roles.limitAllowance(role), role);
      if (cap != null) {
        Resources unreserved = usable.unreserved();
        Resources trimmed = Scalars.shrink(unreserved, cap);
        if (trimmed != unreserved) {
          cluster.constrained.set(a.index);
          offer = Pools.of(trimmed, usable.reserved());
        }
      }
    }
    return Pools.allocatable(offer, cluster.config.minAllocatable()) ? offer : null;
  }

  /**
   * Caps {@code cap} (null: none) by the headroom left over after unmet guarantees. When {@code
   * role} lies under a role with an unmet guarantee, what it takes also meets that guarantee, so it
   * may take the surplus plus that unmet part (stage one's rule, applied in stage two too).
   */
  private long[] withHeadroom(long[] cap, RoleNode role) {
    long[] required = roles.requiredHeadroom();
    if (Scalars.isZero(required)) {
      return cap;
    }
    long[] surplus = Scalars.minusClamped(roles.availableHeadroom(), required);
    RoleNode root = role == null ? null : roles.guaranteeRoot(role);
    if (root != null) {
      Scalars.add(surplus, roles.unsatisfiedGuarantee(root));
    }
    if (cap == null) {
      return surplus;
    }
    for (int i = 0; i < Scalars.N; i++) {
      cap[i] = Math.min(cap[i], surplus[i]);
    }
    return cap;
  }

  // ---- shared ---------------------------------------------------------------------------------

  private AgentFilters validFilters(Agent a) {
    AgentFilters f = a.filters;
    if (f == null || f.isEmpty()) {
      return null;
    }
    if (!f.coverageHolds(a.available)) {
      f.recomputeCoverage(
          a.available,
          index -> {
            Client c = cluster.clientsByIndex.get(index);
            return c == null ? null : a.usableBy(c.role.name);
          });
    }
    return f;
  }

  /** True if every client that wants offers (and may get this agent) is certainly filtered. */
  private boolean nobodyUnfiltered(Agent a, AgentFilters f) {
    if (f.coveredCount() == 0) {
      return false;
    }
    long[] wanting = cluster.wanting;
    long[] gpu = a.hasGpus && cluster.config.filterGpuAgents() ? cluster.gpuCapable : null;
    for (int w = 0; w < wanting.length; w++) {
      long open = wanting[w] & ~f.coveredWord(w);
      if (gpu != null) {
        open &= w < gpu.length ? gpu[w] : 0L;
      }
      if (open != 0) {
        return false;
      }
    }
    return true;
  }

  private void grant(Client c, Agent a, ResourcePool offer) {
    cluster.allocate(c, a, offer);
    grants.add(new OfferGrant(c.framework.id, a.id, c.role.name, offer));
  }
}
