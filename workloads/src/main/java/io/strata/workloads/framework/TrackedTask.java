package io.strata.workloads.framework;

import io.strata.api.AgentId;
import io.strata.api.PortRange;
import io.strata.api.Resources;
import io.strata.api.TaskId;
import io.strata.api.TaskState;
import io.strata.api.TaskStatus;
import io.strata.workloads.core.InstancePhase;
import io.strata.workloads.core.PendingReason;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A task of a built-in framework as its shell tracks it: an app's instance or a job run's task,
 * from the moment it is decided (PENDING) until its terminal update. Immutable: each transition
 * returns the task as it is after.
 *
 * @param owner the app or job id (the task id's first part)
 * @param detail the app version ({@code v3}) or the job run ({@code r12}): the id's second part
 * @param state PENDING, or the allocator's last task state (STAGING, RUNNING, ...)
 * @param healthy the last health-check verdict, if any
 * @param since when it entered its current state
 * @param runningSince when it was first seen RUNNING
 * @param killRequestedAt when the framework last sent its KILL (null: never)
 * @param killExpected its end will be one the framework asked for (not a failure)
 * @param replace must move although it is current (its agent is draining)
 * @param reasons why it waits, from the last offer round (PENDING only)
 */
public record TrackedTask(
    TaskId id,
    String owner,
    String detail,
    boolean hasHealthCheck,
    InstancePhase phase,
    String state,
    Boolean healthy,
    AgentId agent,
    String hostname,
    Resources resources,
    Instant since,
    Instant runningSince,
    Instant killRequestedAt,
    boolean killExpected,
    boolean replace,
    String message,
    List<PendingReason> reasons) {

  public TrackedTask {
    reasons = reasons == null ? List.of() : List.copyOf(reasons);
  }

  /** A task decided at {@code now}, waiting for an offer. */
  public static TrackedTask pending(
      TaskId id, String owner, String detail, boolean hasHealthCheck, Instant now) {
    return new TrackedTask(
        id,
        owner,
        detail,
        hasHealthCheck,
        InstancePhase.PENDING,
        "PENDING",
        null,
        null,
        null,
        null,
        now,
        null,
        null,
        false,
        false,
        null,
        List.of());
  }

  /**
   * The number in {@link #detail}: the app version of {@code v3}, the run sequence of {@code r12}.
   */
  public long number() {
    return Long.parseLong(detail.substring(1));
  }

  /** Running, and passing its health check if it has one. */
  public boolean isHealthy() {
    return phase == InstancePhase.RUNNING && (!hasHealthCheck || Boolean.TRUE.equals(healthy));
  }

  public TrackedTask inPhase(InstancePhase newPhase) {
    Draft d = draft();
    d.phase = newPhase;
    return d.done();
  }

  /** Placed where it runs: on {@code agentId} ({@code host}), with these resources (and ports). */
  public TrackedTask placed(AgentId agentId, String host, Resources assigned) {
    Draft d = draft();
    d.agent = agentId;
    d.hostname = host;
    d.resources = assigned;
    return d.done();
  }

  /** Accepted on an offer: STAGING on {@code agentId}. */
  public TrackedTask launched(AgentId agentId, String host, Resources assigned, Instant now) {
    Draft d = placed(agentId, host, assigned).draft();
    d.phase = InstancePhase.LAUNCHING;
    d.state = TaskState.STAGING.name();
    d.since = now;
    d.reasons = List.of();
    return d.done();
  }

  /** Still waiting, for these reasons. */
  public TrackedTask waiting(List<PendingReason> why) {
    Draft d = draft();
    d.reasons = why;
    return d.done();
  }

  /** Its agent is draining: it must move although it is current. */
  public TrackedTask replacing() {
    Draft d = draft();
    d.replace = true;
    return d.done();
  }

  /** A KILL was sent at {@code now} ({@code why}: the message shown; null keeps the last one). */
  public TrackedTask killing(String why, Instant now) {
    Draft d = draft();
    d.phase = InstancePhase.KILLING;
    d.killRequestedAt = now;
    d.killExpected = true;
    d.message = why == null ? message : why;
    return d.done();
  }

  /**
   * After a status update at {@code now} ({@code host}: the hostname of the update's agent, if
   * known). A task being killed stays KILLING until its terminal update; a terminal update leaves
   * the phase as it was (the task leaves the table).
   */
  public TrackedTask updated(TaskStatus status, String host, Instant now) {
    TaskState s = status.state();
    Draft d = draft();
    if (phase != InstancePhase.KILLING && !s.isTerminal()) {
      d.phase =
          switch (s) {
            case RUNNING -> InstancePhase.RUNNING;
            case UNREACHABLE -> InstancePhase.UNREACHABLE;
            default -> InstancePhase.LAUNCHING;
          };
    }
    if (s == TaskState.RUNNING) {
      d.healthy = status.healthy();
      d.runningSince = runningSince == null ? now : runningSince;
    }
    if (status.agentId() != null) {
      d.agent = status.agentId();
      d.hostname = host == null ? hostname : host;
    }
    d.state = s.name();
    d.since = s.name().equals(state) ? since : now;
    d.message = status.message();
    return d.done();
  }

  /** The task's ports (from its resources), in order. */
  public List<Integer> ports() {
    List<Integer> out = new ArrayList<>();
    if (resources != null) {
      for (PortRange r : resources.ports().ranges()) {
        for (int p = r.begin(); p <= r.end(); p++) {
          out.add(p);
        }
      }
    }
    return out;
  }

  /** As {@code strata ps} shows it ({@code kind}: service or job). */
  public TaskView view(String kind) {
    return new TaskView(
        id.value(),
        kind,
        owner,
        detail,
        phase == InstancePhase.KILLING ? "KILLING" : state,
        hasHealthCheck ? healthy : null,
        agent,
        hostname,
        ports(),
        since,
        phase == InstancePhase.PENDING ? reasons : List.of(),
        message);
  }

  private Draft draft() {
    return new Draft(this);
  }

  /** A copy being changed by one transition (never escapes it). */
  private static final class Draft {
    private final TaskId id;
    private final String owner;
    private final String detail;
    private final boolean hasHealthCheck;
    InstancePhase phase;
    String state;
    Boolean healthy;
    AgentId agent;
    String hostname;
    Resources resources;
    Instant since;
    Instant runningSince;
    Instant killRequestedAt;
    boolean killExpected;
    boolean replace;
    String message;
    List<PendingReason> reasons;

    Draft(TrackedTask t) {
      id = t.id;
      owner = t.owner;
      detail = t.detail;
      hasHealthCheck = t.hasHealthCheck;
      phase = t.phase;
      state = t.state;
      healthy = t.healthy;
      agent = t.agent;
      hostname = t.hostname;
      resources = t.resources;
      since = t.since;
      runningSince = t.runningSince;
      killRequestedAt = t.killRequestedAt;
      killExpected = t.killExpected;
      replace = t.replace;
      message = t.message;
      reasons = t.reasons;
    }

    TrackedTask done() {
      return new TrackedTask(
          id,
          owner,
          detail,
          hasHealthCheck,
          phase,
          state,
          healthy,
          agent,
          hostname,
          resources,
          since,
          runningSince,
          killRequestedAt,
          killExpected,
          replace,
          message,
          reasons);
    }
  }
}
