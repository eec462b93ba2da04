package io.strata.agent.linux.users;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which isolation key ({@link IsolationKey}: a framework, or one app or job of it) has which uid of
 * the range. Pure and immutable: the {@link TaskUids} store persists it. Uids are allocated, never
 * hashed, so two keys can never share one: the lowest uid of the range that no key holds goes to a
 * new key. Once every uid is held, a uid is taken back from a key that nothing uses any more (no
 * sandbox on disk is owned by it: {@code busy}), the lowest such; if there is none, the range is
 * exhausted and the task cannot run.
 */
public record UidAllocation(UidRange range, Map<String, Integer> uids) {

  public UidAllocation {
    uids = Map.copyOf(uids);
    Set<Integer> seen = new TreeSet<>();
    for (Map.Entry<String, Integer> e : uids.entrySet()) {
      if (!range.contains(e.getValue()) || !seen.add(e.getValue())) {
        throw new IllegalArgumentException(
            "uid " + e.getValue() + " of '" + e.getKey() + "' is outside " + range + " or taken");
      }
    }
  }

  public static UidAllocation empty(UidRange range) {
    return new UidAllocation(range, Map.of());
  }

  /**
   * What a stored mapping becomes under {@code range} (the operator may have changed it): the keys
   * whose uid is still in the range keep it; the others are forgotten. A uid that appears twice
   * (never written so, but a file can be edited) keeps only its first key in key order.
   */
  public static UidAllocation restore(UidRange range, Map<String, Integer> stored) {
    Map<String, Integer> kept = new TreeMap<>();
    Set<Integer> seen = new TreeSet<>();
    new TreeMap<>(stored)
        .forEach(
            (key, uid) -> {
              if (uid != null && range.contains(uid) && seen.add(uid)) {
                kept.put(key, uid);
              }
            });
    return new UidAllocation(range, kept);
  }

  /** The outcome of {@link #assign}. */
  public sealed interface Result {}

  /**
   * {@code key} runs as {@code uid}; {@code next} is the mapping to persist before using it (the
   * same object when nothing changed); {@code reclaimedFrom} names the key that lost the uid.
   */
  public record Assigned(int uid, UidAllocation next, Optional<String> reclaimedFrom)
      implements Result {}

  /** Every uid is held by a key still in use. */
  public record Exhausted(String message) implements Result {}

  /** The uid of {@code key}, if it has one. */
  public Optional<Integer> uidOf(String key) {
    return Optional.ofNullable(uids.get(key));
  }

  /**
   * The uid for {@code key}: the one it has; else the lowest free one; else the lowest one whose
   * key is not {@code busy} (taken back from it).
   *
   * @param busy uids in use now (owners of sandboxes on disk); asked only when no uid is free
   */
  public Result assign(String key, java.util.function.Supplier<Set<Integer>> busy) {
    Integer mine = uids.get(key);
    if (mine != null) {
      return new Assigned(mine, this, Optional.empty());
    }
    Optional<Integer> free = lowestFree();
    if (free.isPresent()) {
      return new Assigned(free.get(), with(key, free.get(), null), Optional.empty());
    }
    Set<Integer> inUse = busy.get();
    Map<Integer, String> byUid = new TreeMap<>();
    uids.forEach((k, uid) -> byUid.put(uid, k));
    for (Map.Entry<Integer, String> e : byUid.entrySet()) {
      if (!inUse.contains(e.getKey())) {
        return new Assigned(
            e.getKey(), with(key, e.getKey(), e.getValue()), Optional.of(e.getValue()));
      }
    }
    return new Exhausted(
        "every uid of the agent's task range "
            + range
            + " ("
            + range.size()
            + ") is held by a framework or app whose sandboxes are still on this agent;"
            + " widen linux.taskUids or wait until old sandboxes are collected");
  }

  private Optional<Integer> lowestFree() {
    if (uids.size() >= range.size()) {
      return Optional.empty();
    }
    Set<Integer> taken = new TreeSet<>(uids.values());
    // At most uids.size() + 1 steps: some uid among the first size+1 is free.
    for (long uid = range.first(); uid <= range.last(); uid++) {
      if (!taken.contains((int) uid)) {
        return Optional.of((int) uid);
      }
    }
    return Optional.empty();
  }

  private UidAllocation with(String key, int uid, String dropped) {
    Map<String, Integer> next = new TreeMap<>(uids);
    if (dropped != null) {
      next.remove(dropped);
    }
    next.put(key, uid);
    return new UidAllocation(range, next);
  }
}
