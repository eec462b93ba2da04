package io.strata.workloads.core;

import io.strata.api.AgentId;
import io.strata.api.OfferId;
import io.strata.api.PortRanges;
import io.strata.api.Resources;
import io.strata.api.TaskId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Places task groups on offers: a pure function of the candidates (agents with and without offers),
 * the groups to place and where each group's tasks already run. It never over-commits an offer
 * (each offer's resources and ports are consumed as tasks are assigned) and never breaks a
 * constraint.
 *
 * <p>For each group, agents failing the OS or a static constraint (EQUALS, LIKE, UNLIKE, a missing
 * attribute) are dropped once; the rest are ranked by the group's strategy in a priority queue and
 * re-checked when popped (UNIQUE and MAX_PER only get stricter as tasks are assigned), so a round
 * costs O(tasks × log agents). GROUP_BY ranks by how many of the group's tasks the agent's value
 * already has, which needs a scan per task; it is used for small groups. Whatever is left unplaced
 * gets its reasons from {@link Vetoes}, computed against the state after the round.
 */
public final class Placement {
  private Placement() {}

  /**
   * @param candidates every agent known, each at most once; those with an offer may receive tasks
   * @param groups placed in order; earlier groups get first pick
   * @param running for each group name, the agents its active tasks are on (one entry per task)
   */
  public static PlacementResult place(
      List<Candidate> candidates, List<TaskGroup> groups, Map<String, List<AgentId>> running) {
    List<Slot> slots = new ArrayList<>(candidates.size());
    Map<AgentId, AgentFacts> directory = new HashMap<>();
    for (Candidate c : candidates) {
      slots.add(new Slot(slots.size(), c));
      directory.put(c.agent().agentId(), c.agent());
    }
    Map<OfferId, List<Assignment>> launches = new LinkedHashMap<>();
    Map<TaskId, List<PendingReason>> unplaced = new LinkedHashMap<>();
    for (TaskGroup group : groups) {
      if (group.tasks().isEmpty()) {
        continue;
      }
      GroupState state =
          new GroupState(group, directory, running.getOrDefault(group.group(), List.of()));
      List<Slot> eligible = new ArrayList<>();
      for (Slot s : slots) {
        if (s.offerId != null && state.staticVeto(s) == null) {
          eligible.add(s);
        }
      }
      int placed =
          state.hasGroupBy()
              ? placeByScan(group, state, eligible, launches)
              : placeByQueue(group, state, eligible, launches);
      if (placed < group.tasks().size()) {
        List<PendingReason> reasons = Vetoes.explain(group, state, slots);
        for (TaskId task : group.tasks().subList(placed, group.tasks().size())) {
          unplaced.put(task, reasons);
        }
      }
    }
    return new PlacementResult(launches, unplaced);
  }

  private static int placeByQueue(
      TaskGroup group,
      GroupState state,
      List<Slot> eligible,
      Map<OfferId, List<Assignment>> launches) {
    PriorityQueue<Ranked> queue = new PriorityQueue<>();
    for (Slot s : eligible) {
      if (state.fits(s) > 0) {
        queue.add(new Ranked(s, state.key(s, 0)));
      }
    }
    int placed = 0;
    while (placed < group.tasks().size() && !queue.isEmpty()) {
      Ranked top = queue.poll();
      Slot s = top.slot;
      long fits = state.fits(s);
      if (fits <= 0 || state.dynamicVeto(s) != null) {
        continue; // full, or a UNIQUE/MAX_PER limit reached: stays so for the rest of the round
      }
      long[] key = state.key(s, 0);
      if (compareKeys(key, top.key) != 0) {
        queue.add(new Ranked(s, key)); // stale rank: assignments changed it since it was queued
        continue;
      }
      assign(group.tasks().get(placed++), s, state, launches);
      if (state.fits(s) > 0) {
        queue.add(new Ranked(s, state.key(s, 0)));
      }
    }
    return placed;
  }

  private static int placeByScan(
      TaskGroup group,
      GroupState state,
      List<Slot> eligible,
      Map<OfferId, List<Assignment>> launches) {
    int placed = 0;
    while (placed < group.tasks().size()) {
      Slot best = null;
      long[] bestKey = null;
      for (Slot s : eligible) {
        if (state.fits(s) <= 0 || state.dynamicVeto(s) != null) {
          continue;
        }
        long[] key = state.key(s, state.groupByCount(s));
        if (best == null || compareKeys(key, bestKey) < 0) {
          best = s;
          bestKey = key;
        }
      }
      if (best == null) {
        break;
      }
      assign(group.tasks().get(placed++), best, state, launches);
    }
    return placed;
  }

  private static void assign(
      TaskId task, Slot s, GroupState state, Map<OfferId, List<Assignment>> launches) {
    PortRanges ports = s.free.ports().first(state.group.ports());
    Resources taken = state.group.demand().withPorts(ports);
    s.free = s.free.minus(taken);
    state.record(s);
    launches
        .computeIfAbsent(s.offerId, k -> new ArrayList<>())
        .add(new Assignment(task, s.facts.agentId(), taken));
  }

  static int compareKeys(long[] a, long[] b) {
    for (int i = 0; i < a.length; i++) {
      int c = Long.compare(a[i], b[i]);
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  /** A candidate during one round: its free resources shrink as tasks are assigned to it. */
  static final class Slot {
    final int index;
    final OfferId offerId;
    final AgentFacts facts;
    Resources free;

    Slot(int index, Candidate c) {
      this.index = index;
      this.offerId = c.offerId();
      this.facts = c.agent();
      this.free = c.free();
    }
  }

  private record Ranked(Slot slot, long[] key) implements Comparable<Ranked> {
    @Override
    public int compareTo(Ranked o) {
      return compareKeys(key, o.key);
    }
  }
}
