package io.strata.allocator.core;

import java.util.Comparator;

/**
 * Something a DRF sorter orders: a role among its siblings, a role's own frameworks (its "self"
 * leaf, as Mesos' hierarchical sorter calls it) among the role's children, or a framework within a
 * role. Ordered by dominant share, then by fewer allocations, then by subscription order
 * (frameworks; roles all have 0), then by name. Mesos' DRF sorter breaks the last tie by name, and
 * its framework ids are sequential, so that is subscription order there; ours are random.
 *
 * <p>The key fields are only changed while the entry is out of its sorted set: see {@link
 * RoleTree#flush()}.
 */
abstract class SortEntry {
  static final Comparator<SortEntry> ORDER =
      (a, b) -> {
        int c = Double.compare(a.keyShare, b.keyShare);
        if (c != 0) {
          return c;
        }
        c = Long.compare(a.keyCount, b.keyCount);
        if (c != 0) {
          return c;
        }
        c = Long.compare(a.keyOrder, b.keyOrder);
        if (c != 0) {
          return c;
        }
        return a.keyName.compareTo(b.keyName);
      };

  /** Share, count and name as last sorted; see {@link #ORDER}. */
  double keyShare;

  long keyCount;

  /**
   * A client's framework's place in subscription order ({@link Framework#order}); 0 for roles. Set
   * before the entry first enters a sorted set and never changed while in one.
   */
  long keyOrder;

  final String keyName;

  /** Set when the entry's live numbers changed and its position must be refreshed. */
  boolean dirty;

  SortEntry(String keyName) {
    this.keyName = keyName;
  }
}
