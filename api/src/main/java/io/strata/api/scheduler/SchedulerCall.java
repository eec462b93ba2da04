package io.strata.api.scheduler;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.strata.api.AgentId;
import io.strata.api.FrameworkId;
import io.strata.api.FrameworkInfo;
import io.strata.api.OfferId;
import io.strata.api.Roles;
import io.strata.api.TaskId;
import io.strata.api.json.Checks;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * A call a framework makes to {@code POST /v1/scheduler}, modelled on Mesos' v1 scheduler API.
 * SUBSCRIBE opens the event stream; every other call names the framework and must carry the
 * stream's id in the {@code Strata-Stream-Id} header.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = SchedulerCall.Subscribe.class, name = "SUBSCRIBE"),
  @JsonSubTypes.Type(value = SchedulerCall.Accept.class, name = "ACCEPT"),
  @JsonSubTypes.Type(value = SchedulerCall.Decline.class, name = "DECLINE"),
  @JsonSubTypes.Type(value = SchedulerCall.Kill.class, name = "KILL"),
  @JsonSubTypes.Type(value = SchedulerCall.KillTasks.class, name = "KILL_TASKS"),
  @JsonSubTypes.Type(value = SchedulerCall.Acknowledge.class, name = "ACKNOWLEDGE"),
  @JsonSubTypes.Type(value = SchedulerCall.AcknowledgeUpdates.class, name = "ACKNOWLEDGE_UPDATES"),
  @JsonSubTypes.Type(value = SchedulerCall.Reconcile.class, name = "RECONCILE"),
  @JsonSubTypes.Type(value = SchedulerCall.Revive.class, name = "REVIVE"),
  @JsonSubTypes.Type(value = SchedulerCall.Suppress.class, name = "SUPPRESS"),
  @JsonSubTypes.Type(value = SchedulerCall.Teardown.class, name = "TEARDOWN")
})
public sealed interface SchedulerCall {
  /** Mesos' default: declined resources are not re-offered to the framework for 5 seconds. */
  double DEFAULT_REFUSE_SECONDS = 5;

  /** The longest filter (Mesos: 365 days); longer ones are refused. */
  double MAX_REFUSE_SECONDS = 365.0 * 24 * 3600;

  /**
   * Checks a refuse time in seconds, a double as Mesos' {@code Filters.refuse_seconds} (so 0.5 is
   * half a second): finite, from 0 to {@link #MAX_REFUSE_SECONDS}.
   */
  private static void checkRefuse(Checks c, double refuseSeconds) {
    c.require(
        Double.isFinite(refuseSeconds) && refuseSeconds >= 0 && refuseSeconds <= MAX_REFUSE_SECONDS,
        "refuseSeconds",
        "must be a number of seconds from 0 to "
            + (long) MAX_REFUSE_SECONDS
            + " (was "
            + refuseSeconds
            + ")");
  }

  /**
   * Opens the event stream; a framework with an id re-subscribes (failover).
   *
   * @param suppressedRoles roles of the framework it wants no offers for until it revives them (as
   *     Mesos' {@code SUBSCRIBE.suppressed_roles}); absent means none. They replace what the
   *     allocator remembered from earlier SUPPRESS and REVIVE calls.
   */
  record Subscribe(FrameworkInfo framework, Set<String> suppressedRoles) implements SchedulerCall {
    public Subscribe {
      Checks c = new Checks().notNull("framework", framework);
      c.noNullElements("suppressedRoles", suppressedRoles);
      if (suppressedRoles != null && framework != null) {
        for (String role : suppressedRoles) {
          if (role != null) {
            c.require(
                framework.roles().contains(role),
                "suppressedRoles[" + role + "]",
                "is not one of the framework's roles " + framework.roles());
          }
        }
      }
      c.done();
      suppressedRoles =
          suppressedRoles == null
              ? Set.of()
              : Collections.unmodifiableSet(new TreeSet<>(suppressedRoles));
    }

    /** A subscription that suppresses no role. */
    public Subscribe(FrameworkInfo framework) {
      this(framework, null);
    }
  }

  /**
   * Applies operations to offers (all on the same agent). Whatever the operations leave unused is
   * declined with a filter of {@code refuseSeconds} (default 5).
   */
  record Accept(
      FrameworkId frameworkId,
      List<OfferId> offerIds,
      List<Operation> operations,
      Double refuseSeconds)
      implements SchedulerCall {
    public Accept {
      Checks c = new Checks().notNull("frameworkId", frameworkId);
      c.require(offerIds != null && !offerIds.isEmpty(), "offerIds", "must name an offer");
      c.noNullElements("offerIds", offerIds);
      c.noNullElements("operations", operations);
      refuseSeconds = refuseSeconds == null ? DEFAULT_REFUSE_SECONDS : refuseSeconds;
      checkRefuse(c, refuseSeconds);
      c.done();
      offerIds = List.copyOf(offerIds);
      operations = operations == null ? List.of() : List.copyOf(operations);
    }
  }

  /** Declines offers; their resources are not re-offered to this framework for a while. */
  record Decline(FrameworkId frameworkId, List<OfferId> offerIds, Double refuseSeconds)
      implements SchedulerCall {
    public Decline {
      Checks c = new Checks().notNull("frameworkId", frameworkId);
      c.require(offerIds != null && !offerIds.isEmpty(), "offerIds", "must name an offer");
      c.noNullElements("offerIds", offerIds);
      refuseSeconds = refuseSeconds == null ? DEFAULT_REFUSE_SECONDS : refuseSeconds;
      checkRefuse(c, refuseSeconds);
      c.done();
      offerIds = List.copyOf(offerIds);
    }
  }

  /** Kills a task: polite stop, then hard kill after the grace period. */
  record Kill(FrameworkId frameworkId, TaskId taskId, Long gracePeriodMillis)
      implements SchedulerCall {
    public Kill {
      Checks c = new Checks().notNull("frameworkId", frameworkId).notNull("taskId", taskId);
      if (gracePeriodMillis != null) {
        c.range("gracePeriodMillis", gracePeriodMillis, 0, 3_600_000);
      }
      c.done();
    }
  }

  /**
   * Kills many tasks in one call, each as KILL would (the same grace period for all): the allocator
   * sends each agent one message for its share. A call with an invalid entry is refused whole (400,
   * each violation under {@code taskIds[i]}); a task the framework does not have (unknown, or
   * another framework's) is answered with a TASK_UNKNOWN update, one already ended with its state.
   */
  record KillTasks(FrameworkId frameworkId, List<TaskId> taskIds, Long gracePeriodMillis)
      implements SchedulerCall {
    /** The most tasks one call may kill. */
    public static final int MAX_TASKS = 10_000;

    public KillTasks {
      Checks c = new Checks().notNull("frameworkId", frameworkId);
      c.require(taskIds != null && !taskIds.isEmpty(), "taskIds", "must name a task");
      if (taskIds != null) {
        c.require(
            taskIds.size() <= MAX_TASKS,
            "taskIds",
            "must hold at most " + MAX_TASKS + " task ids (was " + taskIds.size() + ")");
      }
      c.noNullElements("taskIds", taskIds);
      if (gracePeriodMillis != null) {
        c.range("gracePeriodMillis", gracePeriodMillis, 0, 3_600_000);
      }
      c.done();
      taskIds = List.copyOf(taskIds);
    }
  }

  /** Acknowledges a status update (by its uuid), so it is not sent again. */
  record Acknowledge(FrameworkId frameworkId, AgentId agentId, TaskId taskId, UUID uuid)
      implements SchedulerCall {
    public Acknowledge {
      new Checks()
          .notNull("frameworkId", frameworkId)
          .notNull("taskId", taskId)
          .notNull("uuid", uuid)
          .done();
    }
  }

  /**
   * Acknowledges many status updates in one call (each by its uuid), so none of them is sent again:
   * the same as one ACKNOWLEDGE per update, made durable together. A call with any invalid entry is
   * refused whole (400, each violation under {@code updates[i]}); entries already acknowledged, or
   * of tasks the allocator forgot, are ignored as ACKNOWLEDGE ignores them.
   */
  record AcknowledgeUpdates(FrameworkId frameworkId, List<Acknowledgement> updates)
      implements SchedulerCall {
    /** The most acknowledgements one call may carry. */
    public static final int MAX_UPDATES = 10_000;

    public AcknowledgeUpdates {
      Checks c = new Checks().notNull("frameworkId", frameworkId);
      c.require(updates != null && !updates.isEmpty(), "updates", "must acknowledge an update");
      if (updates != null) {
        c.require(
            updates.size() <= MAX_UPDATES,
            "updates",
            "must hold at most " + MAX_UPDATES + " acknowledgements (was " + updates.size() + ")");
      }
      c.noNullElements("updates", updates);
      c.done();
      updates = List.copyOf(updates);
    }
  }

  /**
   * Asks for the latest state of the named tasks, or of all the framework's tasks when the list is
   * empty (implicit reconciliation). Answers arrive as UPDATE events with reason RECONCILIATION.
   */
  record Reconcile(FrameworkId frameworkId, List<TaskId> taskIds) implements SchedulerCall {
    public Reconcile {
      Checks c = new Checks().notNull("frameworkId", frameworkId);
      c.noNullElements("taskIds", taskIds);
      c.done();
      taskIds = taskIds == null ? List.of() : List.copyOf(taskIds);
    }
  }

  /** Clears filters and resumes offers for the roles (all of the framework's roles if empty). */
  record Revive(FrameworkId frameworkId, Set<String> roles) implements SchedulerCall {
    public Revive {
      roles = checkRoles(frameworkId, roles);
    }
  }

  /** Stops offers for the roles (all of the framework's roles if empty) until REVIVE. */
  record Suppress(FrameworkId frameworkId, Set<String> roles) implements SchedulerCall {
    public Suppress {
      roles = checkRoles(frameworkId, roles);
    }
  }

  /** Removes the framework: its tasks are killed and its offers rescinded. */
  record Teardown(FrameworkId frameworkId) implements SchedulerCall {
    public Teardown {
      new Checks().notNull("frameworkId", frameworkId).done();
    }
  }

  /** The framework the call is for; null only for a first SUBSCRIBE. */
  default FrameworkId frameworkIdOrNull() {
    return switch (this) {
      case Subscribe s -> s.framework().id();
      case Accept a -> a.frameworkId();
      case Decline d -> d.frameworkId();
      case Kill k -> k.frameworkId();
      case KillTasks k -> k.frameworkId();
      case Acknowledge a -> a.frameworkId();
      case AcknowledgeUpdates a -> a.frameworkId();
      case Reconcile r -> r.frameworkId();
      case Revive r -> r.frameworkId();
      case Suppress s -> s.frameworkId();
      case Teardown t -> t.frameworkId();
    };
  }

  private static Set<String> checkRoles(FrameworkId frameworkId, Set<String> roles) {
    Checks c = new Checks().notNull("frameworkId", frameworkId);
    c.noNullElements("roles", roles);
    if (roles != null) {
      for (String role : roles) {
        if (role != null) {
          c.nested("roles[" + role + "]", () -> Roles.check(role));
        }
      }
    }
    c.done();
    return roles == null ? Set.of() : Set.copyOf(roles);
  }
}
