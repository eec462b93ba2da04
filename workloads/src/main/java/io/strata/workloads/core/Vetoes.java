package io.strata.workloads.core;

import io.strata.api.Quantities;
import io.strata.api.Resources;
import io.strata.workloads.core.GroupState.Veto;
import io.strata.workloads.core.PendingReason.Code;
import io.strata.workloads.core.Placement.Slot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Explains why a group's tasks were left unplaced: each known agent is ruled out by the first thing
 * that fails (OS, then constraints, then resources, then the lack of an offer), and the agents are
 * summed up per reason, e.g. "insufficient memory on all 3 agents: largest free 512 MiB < 1 GiB".
 */
final class Vetoes {
  private Vetoes() {}

  static List<PendingReason> explain(TaskGroup group, GroupState state, List<Slot> slots) {
    int total = slots.size();
    if (total == 0) {
      return List.of(
          PendingReason.of(
              Code.NO_OFFERS, "no offers received yet: no agent has offered resources to it"));
    }
    int osMismatch = 0;
    Map<String, Integer> constraintCounts = new LinkedHashMap<>();
    Map<String, String> constraintMessages = new LinkedHashMap<>();
    long[] shortCount = new long[5];
    long[] largestFree = new long[5];
    int noOffer = 0;
    for (Slot s : slots) {
      Veto veto = state.staticVeto(s);
      if (veto == null) {
        veto = state.dynamicVeto(s);
      }
      if (veto != null) {
        if (veto.kind() == Veto.Kind.OS) {
          osMismatch++;
        } else {
          String key = veto.kind() + " " + veto.constraint();
          constraintCounts.merge(key, 1, Integer::sum);
          constraintMessages.putIfAbsent(key, constraintText(veto));
        }
        continue;
      }
      if (state.fits(s) <= 0) {
        long[] free = amounts(s.free, s.free.ports().count());
        long[] need = amounts(group.demand(), group.ports());
        for (int i = 0; i < need.length; i++) {
          if (free[i] < need[i]) {
            shortCount[i]++;
            largestFree[i] = Math.max(largestFree[i], free[i]);
          }
        }
        continue;
      }
      if (s.offerId == null) {
        noOffer++;
      }
    }
    List<PendingReason> reasons = new ArrayList<>();
    if (osMismatch > 0) {
      String os = group.os().wire();
      reasons.add(
          new PendingReason(
              Code.OS_MISMATCH,
              osMismatch == total
                  ? "no agent with os=" + os + " (" + agents(total) + " known)"
                  : osMismatch + " of " + agents(total) + " are not os=" + os,
              osMismatch));
    }
    constraintCounts.forEach(
        (key, n) ->
            reasons.add(
                new PendingReason(
                    Code.CONSTRAINT,
                    constraintMessages.get(key).replace("%s", onAgents(n, total)),
                    n)));
    long[] need = amounts(group.demand(), group.ports());
    for (int i = 0; i < need.length; i++) {
      if (shortCount[i] > 0) {
        int n = (int) shortCount[i];
        reasons.add(
            new PendingReason(
                RESOURCE_CODES[i],
                "insufficient "
                    + RESOURCE_NAMES[i]
                    + " on "
                    + onAgents(n, total)
                    + ": largest free "
                    + format(i, largestFree[i])
                    + " < "
                    + format(i, need[i]),
                n));
      }
    }
    if (noOffer > 0) {
      reasons.add(
          new PendingReason(
              Code.NO_CURRENT_OFFER,
              (noOffer == 1 ? "1 agent has" : noOffer + " agents have")
                  + " room but no outstanding offer (waiting for the allocator to offer it)",
              noOffer));
    }
    return List.copyOf(reasons);
  }

  private static final Code[] RESOURCE_CODES = {
    Code.INSUFFICIENT_CPUS,
    Code.INSUFFICIENT_MEMORY,
    Code.INSUFFICIENT_DISK,
    Code.INSUFFICIENT_GPUS,
    Code.INSUFFICIENT_PORTS
  };
  private static final String[] RESOURCE_NAMES = {"cpus", "memory", "disk", "gpus", "ports"};

  private static long[] amounts(Resources r, long ports) {
    return new long[] {r.millicpus(), r.memoryBytes(), r.diskBytes(), r.gpus(), ports};
  }

  private static String format(int dimension, long value) {
    return switch (dimension) {
      case 0 -> io.strata.api.Quantities.formatCpus(value);
      case 1, 2 -> Quantities.humanBytes(value);
      default -> Long.toString(value);
    };
  }

  /** The sentence for a constraint veto; {@code %s} stands for the agents it ruled out. */
  private static String constraintText(Veto veto) {
    Constraint c = veto.constraint();
    return switch (veto.kind()) {
      case MISSING_ATTRIBUTE -> "constraint " + c + ": %s without attribute " + c.attribute();
      case MISMATCH -> "constraint " + c + ": %s not matching";
      case LIMIT ->
          switch (c.operator()) {
            case UNIQUE ->
                c.attribute().equals(Constraint.HOSTNAME)
                    ? "constraint unique host: %s already used"
                    : "constraint unique " + c.attribute() + ": %s with a value already used";
            case MAX_PER ->
                "constraint at most " + c.value() + " per " + c.attribute() + ": %s at the limit";
            default -> "constraint " + c + ": %s";
          };
      case OS -> "%s with another os";
    };
  }

  /** "all 3 agents", "the only agent", or "2 of 3 agents". */
  private static String onAgents(int n, int total) {
    if (n == total) {
      return n == 1 ? "the only agent" : "all " + agents(n);
    }
    return n + " of " + agents(total);
  }

  private static String agents(int n) {
    return n == 1 ? "1 agent" : n + " agents";
  }
}
