package io.strata.workloads.jobs;

import io.strata.api.AgentId;
import io.strata.api.PortRange;
import io.strata.api.Resources;
import io.strata.workloads.core.InstancePhase;
import io.strata.workloads.core.PendingReason;
import io.strata.workloads.framework.TaskView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A task of an active job run, as the jobs framework tracks it (event-loop thread only). */
final class JobTask {
  final String id;
  final String runId;
  InstancePhase phase = InstancePhase.PENDING;
  String state = "PENDING";
  AgentId agent;
  String hostname;
  Resources resources;
  Instant since;
  String message;
  List<PendingReason> reasons = List.of();

  JobTask(String id, String runId, Instant now) {
    this.id = id;
    this.runId = runId;
    this.since = now;
  }

  TaskView view(String jobId) {
    List<Integer> ports = new ArrayList<>();
    if (resources != null) {
      for (PortRange r : resources.ports().ranges()) {
        for (int p = r.begin(); p <= r.end(); p++) {
          ports.add(p);
        }
      }
    }
    return new TaskView(
        id,
        "job",
        jobId,
        runId,
        phase == InstancePhase.KILLING ? "KILLING" : state,
        null,
        agent,
        hostname,
        ports,
        since,
        phase == InstancePhase.PENDING ? reasons : List.of(),
        message);
  }
}
