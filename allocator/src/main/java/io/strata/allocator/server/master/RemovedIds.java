package io.strata.allocator.server.master;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Ids the allocator refuses (GONE agents, removed frameworks) with when each was removed, kept in
 * removal order so that the oldest are forgotten first, in time proportional to what is forgotten.
 * Not thread-safe: the master's lock guards it.
 */
public final class RemovedIds<I> {
  private final LinkedHashMap<I, Instant> byAge = new LinkedHashMap<>();

  public boolean contains(I id) {
    return byAge.containsKey(id);
  }

  int size() {
    return byAge.size();
  }

  /** Remembers {@code id} as removed at {@code at}, the newest removal. */
  void add(I id, Instant at) {
    byAge.remove(id);
    byAge.put(id, at);
  }

  void remove(I id) {
    byAge.remove(id);
  }

  /**
   * The ids removed at or before {@code now - maxAge}, then the oldest beyond {@code maxCount},
   * oldest first; changes nothing. Removal order stands for age, so an id removed after a clock
   * that stepped back may be forgotten a little late.
   */
  List<I> expired(Instant now, Duration maxAge, int maxCount) {
    Instant cutoff = now.minus(maxAge);
    List<I> expired = new ArrayList<>();
    int left = byAge.size();
    for (Map.Entry<I, Instant> oldest : byAge.entrySet()) {
      if (left <= maxCount && oldest.getValue().isAfter(cutoff)) {
        break;
      }
      expired.add(oldest.getKey());
      left--;
    }
    return expired;
  }

  /** Forgets the {@link #expired} ids and returns them. */
  List<I> forget(Instant now, Duration maxAge, int maxCount) {
    List<I> forgotten = expired(now, maxAge, maxCount);
    forgotten.forEach(byAge::remove);
    return forgotten;
  }
}
