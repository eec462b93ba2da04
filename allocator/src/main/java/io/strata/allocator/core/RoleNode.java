package io.strata.allocator.core;

import io.strata.api.operator.Quota;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A role in the role tree ({@code eng/web} is a child of {@code eng}). It carries the role's weight
 * and quota, the aggregates its share and quota consumption are computed from, and two sorted sets:
 * {@link #order} (its children and its own frameworks' "self" leaf, by share) and {@link #clients}
 * (its own frameworks that want offers, by share).
 */
final class RoleNode extends SortEntry {
  final String name;
  final RoleNode parent;
  final TreeMap<String, RoleNode> children = new TreeMap<>();

  double weight = 1.0;
  Quota quota = Quota.NONE;

  /** The limit the cycle applies: {@link QuotaLimit#NONE} unless set. */
  QuotaLimit limit = QuotaLimit.NONE;

  // Subtree aggregates (this role and all below it), scalars only.
  /** Unreserved resources allocated to frameworks in the subtree. */
  final long[] allocUnreserved = Scalars.zero();

  /** Resources reserved for roles in the subtree, allocated or not. */
  final long[] reserved = Scalars.zero();

  /** Resources reserved for a role above this one, allocated to frameworks in the subtree. */
  final long[] allocFromAbove = Scalars.zero();

  long subtreeAllocations;

  // The same for this role alone (its frameworks, its own reservations): the self leaf's share.
  final long[] ownAllocUnreserved = Scalars.zero();
  final long[] ownReserved = Scalars.zero();
  final long[] ownAllocFromAbove = Scalars.zero();
  long ownAllocations;

  final SelfLeaf self;
  final TreeSet<SortEntry> order = new TreeSet<>(SortEntry.ORDER);
  final TreeSet<Client> clients = new TreeSet<>(SortEntry.ORDER);

  /** All clients of this role, in the sorter or not. */
  int clientCount;

  /** Clients in {@link #clients}. */
  int activeClients;

  /** Clients in the sorters of this role and all below it. */
  int activeInSubtree;

  RoleNode(String name, RoleNode parent) {
    super(name);
    this.name = name;
    this.parent = parent;
    this.self = parent == null ? null : new SelfLeaf(this);
  }

  boolean isRoot() {
    return parent == null;
  }

  /** What counts toward the role's quota: reservations plus unreserved allocations (Mesos). */
  long[] consumption() {
    long[] c = allocUnreserved.clone();
    Scalars.add(c, reserved);
    return c;
  }

  /** What counts toward the role's share: its consumption plus ancestors' reservations it holds. */
  long[] shareNumerator() {
    long[] c = consumption();
    Scalars.add(c, allocFromAbove);
    return c;
  }

  long[] ownShareNumerator() {
    long[] c = ownAllocUnreserved.clone();
    Scalars.add(c, ownReserved);
    Scalars.add(c, ownAllocFromAbove);
    return c;
  }

  boolean hasDefaults() {
    return weight == 1.0 && quota.equals(Quota.NONE) && limit.isNone();
  }

  boolean isUnused() {
    return children.isEmpty()
        && clientCount == 0
        && hasDefaults()
        && Scalars.isZero(reserved)
        && Scalars.isZero(allocUnreserved)
        && Scalars.isZero(allocFromAbove);
  }

  @Override
  public String toString() {
    return name;
  }

  /** The role's own frameworks as one entry among its children (Mesos' virtual "." leaf). */
  static final class SelfLeaf extends SortEntry {
    final RoleNode owner;

    SelfLeaf(RoleNode owner) {
      super(".");
      this.owner = owner;
    }
  }
}
