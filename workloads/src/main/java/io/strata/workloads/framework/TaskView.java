package io.strata.workloads.framework;

import io.strata.api.AgentId;
import io.strata.workloads.core.PendingReason;
import java.time.Instant;
import java.util.List;

/**
 * A task of a built-in framework as {@code strata ps} and {@code strata why} show it, including
 * tasks not launched yet (state PENDING) with the reasons they wait.
 *
 * @param kind {@code service} or {@code job}
 * @param owner the app or job id
 * @param detail the app version ({@code v3}) or the job run ({@code r12})
 * @param state PENDING, or the allocator's task state (STAGING, STARTING, RUNNING, ...), or KILLING
 * @param healthy the health-check verdict, if any
 * @param since when it entered its current state
 */
public record TaskView(
    String id,
    String kind,
    String owner,
    String detail,
    String state,
    Boolean healthy,
    AgentId agentId,
    String hostname,
    List<Integer> ports,
    Instant since,
    List<PendingReason> reasons,
    String message) {

  public TaskView {
    reasons = reasons == null ? List.of() : List.copyOf(reasons);
    ports = ports == null ? List.of() : List.copyOf(ports);
  }

  /** The same task, waiting for these reasons. */
  public TaskView withReasons(List<PendingReason> why) {
    return new TaskView(
        id, kind, owner, detail, state, healthy, agentId, hostname, ports, since, why, message);
  }
}
