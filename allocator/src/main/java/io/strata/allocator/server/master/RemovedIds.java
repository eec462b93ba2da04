package io.strata.allocator.server.master;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
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

  /**
   * Forgets the ids removed at or before {@code now - maxAge}, then the oldest beyond {@code
   * maxCount}, and returns them. Removal order stands for age, so an id removed after a clock that
   * stepped back may be forgotten a little late.
   */
  List<I> forget(Instant now, Duration maxAge, int maxCount) {
    Instant cutoff = now.minus(maxAge);
    List<I> forgotten = new ArrayList<>();
    for (Iterator<Map.Entry<I, Instant>> it = byAge.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<I, Instant> oldest = it.next();
      if (byAge.size() <= maxCount && oldest.getValue().isAfter(cutoff)) {
        break;
      }
      forgotten.add(oldest.getKey());
      it.remove();
    }
    return forgotten;
  }
}
