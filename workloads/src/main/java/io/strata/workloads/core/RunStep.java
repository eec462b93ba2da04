package io.strata.workloads.core;

import java.util.List;

/**
 * The result of advancing a run: its new record, the task ids to launch (already in {@code
 * run.active()}) and the task ids to kill (already removed from it).
 */
public record RunStep(JobRun run, List<String> launch, List<String> kill) {
  public RunStep {
    launch = List.copyOf(launch);
    kill = List.copyOf(kill);
  }

  public boolean changed(JobRun before) {
    return !run.equals(before);
  }
}
