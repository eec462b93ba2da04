package io.strata.allocator.core;

import io.strata.api.ResourcePool;
import io.strata.api.Resources;
import io.strata.api.Roles;
import io.strata.api.operator.Quota;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The hierarchical DRF sorter: the tree of roles with their aggregates, and the order in which an
 * allocation cycle visits roles and frameworks. Shares are cached in the sorted sets and refreshed
 * incrementally ({@link #flush()}): only entries whose allocation changed move, unless the cluster
 * total changed, which moves everything (every share has it as denominator).
 */
final class RoleTree {
  /** Visits roles in sorter order; returns false to stop the walk. */
  interface RoleVisitor {
    boolean visit(RoleNode role);
  }

  final RoleNode root = new RoleNode("", null);
  private final Map<String, RoleNode> roles = new TreeMap<>();
  private final List<SortEntry> dirty = new ArrayList<>();

  /** Sum of all agents' totals: the denominator of every share. */
  final long[] clusterTotal = Scalars.zero();

  /** Everything allocated, reserved, and the reserved part of what is allocated (all roles). */
  final long[] totalAllocated = Scalars.zero();

  final long[] totalReserved = Scalars.zero();
  final long[] totalReservedAllocated = Scalars.zero();

  /** Σ of over-committed agents' {@link Agent#headroomCorrection}. */
  private final long[] headroomCorrection = Scalars.zero();

  /** Roles with a quota other than {@link Quota#NONE}, by name. */
  final TreeMap<String, RoleNode> quotaRoles = new TreeMap<>();

  private boolean allStale;

  RoleNode get(String role) {
    return roles.get(role);
  }

  Iterable<RoleNode> all() {
    return roles.values();
  }

  RoleNode getOrCreate(String role) {
    RoleNode node = roles.get(role);
    if (node != null) {
      return node;
    }
    String parentName = Roles.parent(role);
    RoleNode parent = parentName == null ? root : getOrCreate(parentName);
    node = new RoleNode(role, parent);
    refreshKey(node);
    refreshKey(node.self);
    parent.children.put(role, node);
    parent.order.add(node);
    node.order.add(node.self);
    roles.put(role, node);
    return node;
  }

  /** Drops the role and its empty ancestors if nothing refers to them any more. */
  void tryRemove(RoleNode node) {
    while (node != null && !node.isRoot() && node.isUnused()) {
      RoleNode parent = node.parent;
      parent.order.remove(node);
      parent.children.remove(node.name);
      roles.remove(node.name);
      node = parent;
    }
  }

  // ---- accounting ----------------------------------------------------------------------------

  void setClusterTotal(long[] total) {
    System.arraycopy(total, 0, clusterTotal, 0, Scalars.N);
    allStale = true;
  }

  void addToClusterTotal(ResourcePool pool, int sign) {
    if (sign > 0) {
      Scalars.add(clusterTotal, pool);
    } else {
      Scalars.subtract(clusterTotal, pool);
    }
    allStale = true;
  }

  /** Counts (sign +1) or uncounts (-1) a reservation for {@code role} of {@code r}. */
  void trackReservation(String role, Resources r, int sign) {
    if (r.isEmpty()) {
      return;
    }
    RoleNode owner = getOrCreate(role);
    long[] x = Scalars.of(r);
    signed(x, sign);
    Scalars.add(owner.ownReserved, x);
    markDirty(owner.self);
    for (RoleNode n = owner; !n.isRoot(); n = n.parent) {
      Scalars.add(n.reserved, x);
      markDirty(n);
    }
    Scalars.add(totalReserved, x);
    if (sign < 0) {
      tryRemove(owner);
    }
  }

  /** Counts (+1) or uncounts (-1) {@code pool} allocated to {@code client}. */
  void trackAllocation(Client client, ResourcePool pool, int sign) {
    trackAllocation(client, pool, sign, sign > 0);
  }

  /**
   * As {@link #trackAllocation(Client, ResourcePool, int)}; {@code counts} says whether this is a
   * new allocation for the "fewer allocations first" tie breaker (a reservation is not).
   */
  void trackAllocation(Client client, ResourcePool pool, int sign, boolean counts) {
    RoleNode role = client.role;
    // Written out without temporary arrays: this runs for every grant and every recovery.
    Resources unreserved = pool.unreserved();
    Scalars.add(client.allocated, unreserved, sign);
    Scalars.add(totalAllocated, unreserved, sign);
    Scalars.add(role.ownAllocUnreserved, unreserved, sign);
    if (counts) {
      client.allocationCount++;
      role.ownAllocations++;
    }
    markDirty(client);
    markDirty(role.self);
    for (RoleNode n = role; !n.isRoot(); n = n.parent) {
      Scalars.add(n.allocUnreserved, unreserved, sign);
      if (counts) {
        n.subtreeAllocations++;
      }
      markDirty(n);
    }
    if (pool.reserved().isEmpty()) {
      return;
    }
    for (Map.Entry<String, Resources> e : pool.reserved().entrySet()) {
      Resources part = e.getValue();
      Scalars.add(client.allocated, part, sign);
      Scalars.add(totalAllocated, part, sign);
      Scalars.add(totalReservedAllocated, part, sign);
      String reservationRole = e.getKey();
      if (!reservationRole.equals(role.name)) {
        Scalars.add(role.ownAllocFromAbove, part, sign);
      }
      // Below the reservation's role the resources come "from above"; from it upward they are
      // already counted as the subtree's reservation.
      for (RoleNode n = role; !n.isRoot() && !n.name.equals(reservationRole); n = n.parent) {
        Scalars.add(n.allocFromAbove, part, sign);
      }
    }
  }

  private static void signed(long[] x, int sign) {
    if (sign < 0) {
      for (int i = 0; i < x.length; i++) {
        x[i] = -x[i];
      }
    }
  }

  void setWeight(RoleNode node, double weight) {
    node.weight = weight;
    markDirty(node);
    markDirty(node.self);
  }

  void setQuota(RoleNode node, Quota quota, QuotaLimit limit) {
    node.quota = quota;
    node.limit = limit;
    if (quota.guarantee().isEmpty() && limit.isNone()) {
      quotaRoles.remove(node.name);
    } else {
      quotaRoles.put(node.name, node);
    }
  }

  // ---- sorter membership -----------------------------------------------------------------------

  void addClient(Client client) {
    client.role.clientCount++;
  }

  void removeClient(Client client) {
    setInSorter(client, false);
    client.role.clientCount--;
  }

  /** Puts the client into its role's sorter (wants offers) or takes it out. */
  void setInSorter(Client client, boolean in) {
    if (client.inSorter == in) {
      return;
    }
    RoleNode role = client.role;
    int delta;
    if (in) {
      refreshKey(client);
      client.dirty = false;
      role.clients.add(client);
      role.activeClients++;
      delta = 1;
    } else {
      role.clients.remove(client);
      role.activeClients--;
      delta = -1;
    }
    client.inSorter = in;
    for (RoleNode n = role; n != null; n = n.parent) {
      n.activeInSubtree += delta;
    }
  }

  // ---- ordering -------------------------------------------------------------------------------

  private void markDirty(SortEntry e) {
    if (!e.dirty) {
      e.dirty = true;
      dirty.add(e);
    }
  }

  /** Moves every entry whose share or count changed to its new place. */
  void flush() {
    if (allStale) {
      rebuild(root);
      for (SortEntry e : dirty) {
        e.dirty = false;
      }
      dirty.clear();
      allStale = false;
      return;
    }
    for (SortEntry e : dirty) {
      e.dirty = false;
      if (e instanceof Client c) {
        if (c.inSorter) {
          c.role.clients.remove(c);
          refreshKey(c);
          c.role.clients.add(c);
        } else {
          refreshKey(c);
        }
      } else if (e instanceof RoleNode n) {
        if (roles.get(n.name) == n) {
          n.parent.order.remove(n);
          refreshKey(n);
          n.parent.order.add(n);
        }
      } else if (e instanceof RoleNode.SelfLeaf s) {
        if (roles.get(s.owner.name) == s.owner) {
          s.owner.order.remove(s);
          refreshKey(s);
          s.owner.order.add(s);
        }
      }
    }
    dirty.clear();
  }

  /**
   * Refreshes every key below {@code node} after the cluster total changed. Scaling the denominator
   * rarely reorders anything, so each set is re-keyed in place and only re-sorted if the new keys
   * are out of order (a set whose elements keep their relative order stays a valid tree).
   */
  private void rebuild(RoleNode node) {
    rekey(node.order);
    rekey(node.clients);
    for (RoleNode child : node.children.values()) {
      rebuild(child);
    }
  }

  private <T extends SortEntry> void rekey(java.util.TreeSet<T> set) {
    if (set.isEmpty()) {
      return;
    }
    List<T> members = new ArrayList<>(set);
    for (T e : members) {
      refreshKey(e);
    }
    for (int i = 1; i < members.size(); i++) {
      if (SortEntry.ORDER.compare(members.get(i - 1), members.get(i)) > 0) {
        set.clear();
        set.addAll(members);
        return;
      }
    }
  }

  private void refreshKey(SortEntry e) {
    if (e instanceof Client c) {
      c.keyShare = Scalars.share(c.allocated, clusterTotal, 1.0);
      c.keyCount = c.allocationCount;
    } else if (e instanceof RoleNode n) {
      n.keyShare = Scalars.share(n.shareNumerator(), clusterTotal, n.weight);
      n.keyCount = n.subtreeAllocations;
    } else if (e instanceof RoleNode.SelfLeaf s) {
      s.keyShare = Scalars.share(s.owner.ownShareNumerator(), clusterTotal, s.owner.weight);
      s.keyCount = s.owner.ownAllocations;
    }
  }

  /**
   * Visits the roles that have frameworks wanting offers, in hierarchical DRF order: at each level
   * the children (and the role's own frameworks) by share. Call {@link #flush()} first.
   */
  boolean walk(RoleVisitor visitor) {
    return walk(root, visitor);
  }

  private boolean walk(RoleNode node, RoleVisitor visitor) {
    for (SortEntry e : node.order) {
      if (e instanceof RoleNode child) {
        if (child.activeInSubtree > 0 && !walk(child, visitor)) {
          return false;
        }
      } else if (node.activeClients > 0 && !visitor.visit(node)) {
        return false;
      }
    }
    return true;
  }

  // ---- quota ----------------------------------------------------------------------------------

  /**
   * How much more unreserved resources the role may take under its and its ancestors' limits, or
   * null when no limit applies.
   */
  long[] limitAllowance(RoleNode role) {
    if (quotaRoles.isEmpty()) {
      return null;
    }
    long[] allowance = null;
    for (RoleNode n = role; !n.isRoot(); n = n.parent) {
      if (!n.limit.isNone()) {
        long[] left = Scalars.minusClamped(n.limit.scalars(), n.consumption());
        if (allowance == null) {
          allowance = left;
        } else {
          for (int i = 0; i < Scalars.N; i++) {
            allowance[i] = Math.min(allowance[i], left[i]);
          }
        }
      }
    }
    return allowance;
  }

  /** The part of the role's guarantee its consumption does not cover yet. */
  long[] unsatisfiedGuarantee(RoleNode role) {
    return Scalars.minusClamped(Scalars.of(role.quota.guarantee()), role.consumption());
  }

  /**
   * Unreserved resources that must stay unallocated so that unmet guarantees can still be met: the
   * sum over the outermost roles with a guarantee of (guarantee - consumption), floored at zero.
   */
  long[] requiredHeadroom() {
    long[] required = Scalars.zero();
    for (RoleNode n : quotaRoles.values()) {
      if (n.quota.guarantee().isEmpty() || hasGuaranteedAncestor(n)) {
        continue;
      }
      Scalars.add(required, unsatisfiedGuarantee(n));
    }
    return required;
  }

  /** The outermost role at or above {@code role} with a guarantee, or null. */
  RoleNode guaranteeRoot(RoleNode role) {
    RoleNode root = null;
    for (RoleNode n = role; !n.isRoot(); n = n.parent) {
      if (!n.quota.guarantee().isEmpty()) {
        root = n;
      }
    }
    return root;
  }

  private boolean hasGuaranteedAncestor(RoleNode n) {
    for (RoleNode p = n.parent; !p.isRoot(); p = p.parent) {
      if (!p.quota.guarantee().isEmpty()) {
        return true;
      }
    }
    return false;
  }

  /**
   * Adds ({@code sign} +1) or removes (-1) an over-committed agent's correction of {@link
   * #availableHeadroom}; null is none.
   */
  void correctHeadroom(long[] correction, int sign) {
    if (correction == null) {
      return;
    }
    for (int i = 0; i < Scalars.N; i++) {
      headroomCorrection[i] += sign * correction[i];
    }
  }

  /**
   * Unreserved resources neither allocated nor reserved: what headroom can come from. On
   * over-committed agents the free unreserved part is not total minus allocations (see {@link
   * Pools#free}); their corrections make the sum exact.
   */
  long[] availableHeadroom() {
    long[] h = clusterTotal.clone();
    Scalars.subtract(h, totalAllocated);
    Scalars.subtract(h, totalReserved);
    Scalars.add(h, totalReservedAllocated);
    for (int i = 0; i < Scalars.N; i++) {
      h[i] -= headroomCorrection[i];
    }
    return h;
  }
}
