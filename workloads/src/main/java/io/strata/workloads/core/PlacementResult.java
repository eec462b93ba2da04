package io.strata.workloads.core;

import io.strata.api.OfferId;
import io.strata.api.TaskId;
import java.util.List;
import java.util.Map;

/**
 * What one placement round decided: the tasks to launch on each offer (offers not named get
 * nothing) and, for every task left unplaced, the reasons why.
 */
public record PlacementResult(
    Map<OfferId, List<Assignment>> launches, Map<TaskId, List<PendingReason>> unplaced) {

  public PlacementResult {
    launches = Map.copyOf(launches);
    unplaced = Map.copyOf(unplaced);
  }

  public int placedCount() {
    int n = 0;
    for (List<Assignment> list : launches.values()) {
      n += list.size();
    }
    return n;
  }
}
