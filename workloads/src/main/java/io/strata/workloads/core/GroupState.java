package io.strata.workloads.core;

import io.strata.api.AgentId;
import io.strata.api.Resources;
import io.strata.workloads.core.Placement.Slot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One group's view during a placement round: its compiled constraints, and how many of its tasks
 * each agent and each constrained attribute value holds (existing tasks plus those assigned so
 * far).
 */
final class GroupState {
  /** Why an agent cannot take a task of the group. */
  record Veto(Kind kind, Constraint constraint) {
    enum Kind {
      OS,
      MISSING_ATTRIBUTE,
      MISMATCH,
      LIMIT
    }
  }

  final TaskGroup group;
  private final List<Constraint> constraints;
  private final List<Pattern> patterns = new ArrayList<>();
  private final List<Map<String, Integer>> valueCounts = new ArrayList<>();
  private final Map<AgentId, Integer> agentCounts = new HashMap<>();
  private final boolean hasGroupBy;

  GroupState(TaskGroup group, Map<AgentId, AgentFacts> directory, List<AgentId> running) {
    this.group = group;
    this.constraints = group.constraints();
    boolean groupBy = false;
    for (Constraint c : constraints) {
      patterns.add(
          c.operator() == Constraint.Operator.LIKE || c.operator() == Constraint.Operator.UNLIKE
              ? Pattern.compile(c.value())
              : null);
      valueCounts.add(new HashMap<>());
      groupBy |= c.operator() == Constraint.Operator.GROUP_BY;
    }
    this.hasGroupBy = groupBy;
    for (AgentId agent : running) {
      agentCounts.merge(agent, 1, Integer::sum);
      AgentFacts facts = directory.get(agent);
      for (int i = 0; i < constraints.size(); i++) {
        String attribute = constraints.get(i).attribute();
        String value = facts != null ? facts.attribute(attribute) : fallback(attribute, agent);
        if (value != null) {
          valueCounts.get(i).merge(value, 1, Integer::sum);
        }
      }
    }
  }

  /** An agent we have no facts about is at least its own host. */
  private static String fallback(String attribute, AgentId agent) {
    return attribute.equals(Constraint.HOSTNAME) || attribute.equals(Constraint.AGENT_ID)
        ? agent.value()
        : null;
  }

  boolean hasGroupBy() {
    return hasGroupBy;
  }

  /** What rules the agent out whatever else is placed: its OS, or an attribute it lacks. */
  Veto staticVeto(Slot s) {
    if (s.facts.os() != group.os()) {
      return new Veto(Veto.Kind.OS, null);
    }
    for (int i = 0; i < constraints.size(); i++) {
      Constraint c = constraints.get(i);
      String value = s.facts.attribute(c.attribute());
      if (value == null) {
        if (c.operator() == Constraint.Operator.UNLIKE) {
          continue;
        }
        return new Veto(Veto.Kind.MISSING_ATTRIBUTE, c);
      }
      boolean ok =
          switch (c.operator()) {
            case EQUALS -> value.equals(c.value());
            case LIKE -> patterns.get(i).matcher(value).matches();
            case UNLIKE -> !patterns.get(i).matcher(value).matches();
            case UNIQUE, GROUP_BY, MAX_PER -> true;
          };
      if (!ok) {
        return new Veto(Veto.Kind.MISMATCH, c);
      }
    }
    return null;
  }

  /** What rules the agent out given the group's tasks placed so far (UNIQUE, MAX_PER). */
  Veto dynamicVeto(Slot s) {
    for (int i = 0; i < constraints.size(); i++) {
      Constraint c = constraints.get(i);
      int limit =
          switch (c.operator()) {
            case UNIQUE -> 1;
            case MAX_PER -> c.max();
            default -> Integer.MAX_VALUE;
          };
      if (limit != Integer.MAX_VALUE) {
        String value = s.facts.attribute(c.attribute());
        if (value != null && valueCounts.get(i).getOrDefault(value, 0) >= limit) {
          return new Veto(Veto.Kind.LIMIT, c);
        }
      }
    }
    return null;
  }

  /** How many more tasks of the group fit in the slot's free resources. */
  long fits(Slot s) {
    return fits(s.free, group.demand(), group.ports());
  }

  static long fits(Resources free, Resources demand, int ports) {
    long n = Long.MAX_VALUE;
    n = Math.min(n, ratio(free.millicpus(), demand.millicpus()));
    n = Math.min(n, ratio(free.memoryBytes(), demand.memoryBytes()));
    n = Math.min(n, ratio(free.diskBytes(), demand.diskBytes()));
    n = Math.min(n, ratio(free.gpus(), demand.gpus()));
    n = Math.min(n, ratio(free.ports().count(), ports));
    return n;
  }

  private static long ratio(long free, long need) {
    return need <= 0 ? Long.MAX_VALUE : free / need;
  }

  /** Tasks of the group on the slot's GROUP_BY values: the fewer, the better the slot. */
  long groupByCount(Slot s) {
    long n = 0;
    for (int i = 0; i < constraints.size(); i++) {
      if (constraints.get(i).operator() == Constraint.Operator.GROUP_BY) {
        n += valueCounts.get(i).getOrDefault(s.facts.attribute(constraints.get(i).attribute()), 0);
      }
    }
    return n;
  }

  /** The slot's rank for this group, lower is better; the slot's index breaks ties. */
  long[] key(Slot s, long groupByCount) {
    long fits = Math.min(fits(s), Long.MAX_VALUE / 2);
    return switch (group.strategy()) {
      case SPREAD ->
          new long[] {groupByCount, agentCounts.getOrDefault(s.facts.agentId(), 0), -fits, s.index};
      case BINPACK -> new long[] {groupByCount, fits, s.index};
    };
  }

  /** Counts a task just assigned to the slot. */
  void record(Slot s) {
    agentCounts.merge(s.facts.agentId(), 1, Integer::sum);
    for (int i = 0; i < constraints.size(); i++) {
      String value = s.facts.attribute(constraints.get(i).attribute());
      if (value != null) {
        valueCounts.get(i).merge(value, 1, Integer::sum);
      }
    }
  }
}
