package io.strata.allocator.core;

import io.strata.api.ResourcePool;
import java.util.Arrays;
import java.util.function.IntFunction;

/**
 * The offer filters installed on one agent, by client (framework and role). A filter blocks an
 * offer only if the offer is a subset of what was refused (Mesos' RefusedOfferFilter), until it
 * expires.
 *
 * <p>To keep a cycle cheap when most frameworks have declined an agent, the table keeps a coverage
 * bitset: bit {@code i} set means a filter of client {@code i} refused at least everything that
 * client's role may use of {@link #basis}, and the agent's free resources are still within {@code
 * basis} — so that client is certainly filtered and needs no further look. A clear bit only means
 * "check". Clearing bits is always safe.
 */
final class AgentFilters {
  /** A filter; more than one per client form a chain. */
  static final class Filter {
    final ResourcePool refused;
    final long expiresAtMillis;
    Filter next;

    Filter(ResourcePool refused, long expiresAtMillis, Filter next) {
      this.refused = refused;
      this.expiresAtMillis = expiresAtMillis;
      this.next = next;
    }
  }

  private static final int EMPTY = -1;

  /*
   * Open addressing, linear probing: client index -> its filters. The first filter of a client is
   * kept inline in the parallel arrays (no object per filter: a cluster where a thousand frameworks
   * declined ten thousand agents holds ten million filters); further ones chain from rest[i].
   */
  private int[] keys = newKeys(8);
  private ResourcePool[] refused = new ResourcePool[8];
  private long[] expires = new long[8];
  private Filter[] rest = new Filter[8];
  private int size;

  /**
   * Two bits per client, interleaved so that both sit on one cache line: word {@code 2w} holds the
   * coverage bits of clients {@code 64w..64w+63}, word {@code 2w+1} whether they have any filter
   * here (so that most clients need no probe of the hash table).
   */
  private long[] bits = new long[2];

  private int covered;

  /** The free resources coverage bits were computed against; null when none are valid. */
  ResourcePool basis;

  long minExpiryMillis = Long.MAX_VALUE;

  private static int[] newKeys(int capacity) {
    int[] k = new int[capacity];
    Arrays.fill(k, EMPTY);
    return k;
  }

  boolean isEmpty() {
    return size == 0;
  }

  int size() {
    return size;
  }

  int coveredCount() {
    return covered;
  }

  /** The coverage bits of clients {@code 64w..64w+63}. */
  long coveredWord(int w) {
    return 2 * w < bits.length ? bits[2 * w] : 0L;
  }

  boolean isCovered(int client) {
    int i = 2 * (client >>> 6);
    return i < bits.length && (bits[i] & (1L << client)) != 0;
  }

  private boolean hasFilter(int client) {
    int i = 2 * (client >>> 6) + 1;
    return i < bits.length && (bits[i] & (1L << client)) != 0;
  }

  private void setBit(int index, int client, boolean on) {
    if (index >= bits.length) {
      if (!on) {
        return;
      }
      bits = Arrays.copyOf(bits, Math.max(index + 2, bits.length * 2));
    }
    if (on) {
      bits[index] |= 1L << client;
    } else {
      bits[index] &= ~(1L << client);
    }
  }

  void setCovered(int client, boolean on) {
    boolean was = isCovered(client);
    if (on && !was) {
      covered++;
    } else if (!on && was) {
      covered--;
    }
    setBit(2 * (client >>> 6), client, on);
  }

  private void clearCoverage() {
    for (int i = 0; i < bits.length; i += 2) {
      bits[i] = 0;
    }
    covered = 0;
  }

  /** The client's filters as a chain (a copy of the first one heads it), or null. */
  Filter get(int client) {
    if (!hasFilter(client)) {
      return null;
    }
    int i = slot(client);
    return keys[i] == client ? new Filter(refused[i], expires[i], rest[i]) : null;
  }

  private int slot(int client) {
    int mask = keys.length - 1;
    int i = mix(client) & mask;
    while (keys[i] != EMPTY && keys[i] != client) {
      i = (i + 1) & mask;
    }
    return i;
  }

  private static int mix(int x) {
    int h = x * 0x9E3779B9;
    return h ^ (h >>> 16);
  }

  /**
   * Adds a filter. A new filter that refuses at least as much for at least as long replaces the
   * older one; one that an older filter already implies is dropped.
   */
  void add(int client, ResourcePool refused, long expiresAtMillis) {
    Filter chain = get(client);
    for (Filter f = chain; f != null; f = f.next) {
      if (Pools.contains(f.refused, refused) && f.expiresAtMillis >= expiresAtMillis) {
        return;
      }
    }
    Filter kept = null;
    for (Filter f = chain; f != null; f = f.next) {
      if (!(Pools.contains(refused, f.refused) && expiresAtMillis >= f.expiresAtMillis)) {
        kept = new Filter(f.refused, f.expiresAtMillis, kept);
      }
    }
    put(client, new Filter(refused, expiresAtMillis, kept));
    minExpiryMillis = Math.min(minExpiryMillis, expiresAtMillis);
  }

  private void put(int client, Filter chain) {
    if ((size + 1) * 3 > keys.length * 2) {
      grow();
    }
    int i = slot(client);
    if (keys[i] == EMPTY) {
      keys[i] = client;
      size++;
      setBit(2 * (client >>> 6) + 1, client, true);
    }
    refused[i] = chain.refused;
    expires[i] = chain.expiresAtMillis;
    rest[i] = chain.next;
  }

  private void grow() {
    int[] oldKeys = keys;
    ResourcePool[] oldRefused = refused;
    long[] oldExpires = expires;
    Filter[] oldRest = rest;
    int n = oldKeys.length * 2;
    keys = newKeys(n);
    refused = new ResourcePool[n];
    expires = new long[n];
    rest = new Filter[n];
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != EMPTY) {
        int j = slot(oldKeys[i]);
        move(oldKeys, oldRefused, oldExpires, oldRest, i, j);
      }
    }
  }

  private void move(int[] k, ResourcePool[] r, long[] e, Filter[] x, int from, int to) {
    keys[to] = k[from];
    refused[to] = r[from];
    expires[to] = e[from];
    rest[to] = x[from];
  }

  /** Removes every filter of the client; returns whether it had any. */
  boolean remove(int client) {
    setCovered(client, false);
    if (!hasFilter(client)) {
      return false;
    }
    setBit(2 * (client >>> 6) + 1, client, false);
    int i = slot(client);
    // Backward-shift deletion keeps probe chains intact.
    int mask = keys.length - 1;
    int hole = i;
    int j = i;
    while (true) {
      j = (j + 1) & mask;
      if (keys[j] == EMPTY) {
        break;
      }
      int home = mix(keys[j]) & mask;
      boolean movable = hole <= j ? (home <= hole || home > j) : (home <= hole && home > j);
      if (movable) {
        move(keys, refused, expires, rest, j, hole);
        hole = j;
      }
    }
    keys[hole] = EMPTY;
    refused[hole] = null;
    rest[hole] = null;
    size--;
    if (size == 0) {
      minExpiryMillis = Long.MAX_VALUE;
    }
    return true;
  }

  /** True if a filter of the client refused at least {@code offer}. */
  boolean blocks(int client, ResourcePool offer) {
    if (!hasFilter(client)) {
      return false;
    }
    int i = slot(client);
    if (Pools.contains(refused[i], offer)) {
      return true;
    }
    for (Filter f = rest[i]; f != null; f = f.next) {
      if (Pools.contains(f.refused, offer)) {
        return true;
      }
    }
    return false;
  }

  /** The clients with filters here (a copy, safe to modify the table while iterating). */
  int[] clients() {
    int[] out = new int[size];
    int n = 0;
    for (int k : keys) {
      if (k != EMPTY) {
        out[n++] = k;
      }
    }
    Arrays.sort(out);
    return out;
  }

  /**
   * Drops filters that expired at {@code nowMillis}; returns the clients left with none (their
   * coverage bits are cleared; bits of clients that kept some filters are cleared too, to be safe).
   */
  int[] expire(long nowMillis) {
    if (nowMillis < minExpiryMillis) {
      return new int[0];
    }
    int[] gone = new int[size];
    int goneCount = 0;
    long min = Long.MAX_VALUE;
    for (int client : clients()) {
      Filter chain = get(client);
      Filter kept = null;
      boolean changed = false;
      for (Filter f = chain; f != null; f = f.next) {
        if (f.expiresAtMillis <= nowMillis) {
          changed = true;
        } else {
          kept = new Filter(f.refused, f.expiresAtMillis, kept);
          min = Math.min(min, f.expiresAtMillis);
        }
      }
      if (!changed) {
        continue;
      }
      if (kept == null) {
        remove(client);
        gone[goneCount++] = client;
      } else {
        put(client, kept);
        setCovered(client, false);
      }
    }
    minExpiryMillis = size == 0 ? Long.MAX_VALUE : min;
    return Arrays.copyOf(gone, goneCount);
  }

  /**
   * Makes the coverage bits valid for the agent's free resources {@code available}: kept if {@code
   * available} is within the basis they were computed for, else recomputed against it.
   *
   * @param usableBy for a client index, the part of {@code available} its role may use
   */
  void ensureCoverage(ResourcePool available, IntFunction<ResourcePool> usableBy) {
    if (!coverageHolds(available)) {
      recomputeCoverage(available, usableBy);
    }
  }

  /** True if the coverage bits are still valid for these free resources. */
  boolean coverageHolds(ResourcePool available) {
    return basis != null && Pools.contains(basis, available);
  }

  /** Recomputes every coverage bit against {@code available}, which becomes the basis. */
  void recomputeCoverage(ResourcePool available, IntFunction<ResourcePool> usableBy) {
    basis = available;
    clearCoverage();
    for (int client : clients()) {
      ResourcePool usable = usableBy.apply(client);
      if (usable != null && blocks(client, usable)) {
        setCovered(client, true);
      }
    }
  }

  /**
   * After a filter was added: sets its client's bit if the filter covers what the client's role may
   * use of the basis (and the basis still holds the agent's free resources).
   */
  void updateCoverage(int client, ResourcePool available, ResourcePool usableOfBasis) {
    if (basis != null
        && Pools.contains(basis, available)
        && usableOfBasis != null
        && blocks(client, usableOfBasis)) {
      setCovered(client, true);
    }
  }
}
