package io.strata.allocator.server.master;

import io.strata.allocator.authz.Action;
import io.strata.allocator.authz.Decision;
import io.strata.allocator.server.config.AllocatorConfig.Principal;
import io.strata.allocator.state.DurableState.TaskKey;
import io.strata.allocator.state.FrameworkRecord;
import io.strata.allocator.state.StateEvent;
import io.strata.allocator.state.TaskRecord;
import io.strata.api.FrameworkId;
import io.strata.api.FrameworkInfo;
import io.strata.api.Reason;
import io.strata.api.TaskId;
import io.strata.api.TaskStatus;
import io.strata.api.json.Violation;
import io.strata.api.scheduler.Acknowledgement;
import io.strata.api.scheduler.SchedulerCall;
import io.strata.api.scheduler.SchedulerEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Frameworks: subscription and failover, the scheduler calls, teardown and failover timeouts. */
public final class FrameworkOps {
  private static final Logger LOG = LoggerFactory.getLogger(FrameworkOps.class);
  private final Master m;

  FrameworkOps(Master master) {
    this.m = master;
  }

  public Master.Subscription subscribe(Principal principal, SchedulerCall.Subscribe call) {
    FrameworkInfo info = call.framework();
    Set<String> suppressed = call.suppressedRoles();
    List<Violation> forbidden = new ArrayList<>();
    for (String role : info.roles()) {
      if (m.authorizer.decide(principal.name(), Action.REGISTER_FRAMEWORKS, role)
          instanceof Decision.Denied d) {
        forbidden.add(new Violation("framework.roles[" + role + "]", d.reason()));
      }
    }
    if (!forbidden.isEmpty()) {
      throw ApiError.invalid(403, "Forbidden", forbidden);
    }
    return m.run(
        c -> {
          FrameworkId id = info.id();
          if (id != null && m.removedFrameworks.contains(id)) {
            throw ApiError.gone("framework " + id + " was torn down; subscribe without an id");
          }
          FrameworkEntry fw = id == null ? null : m.frameworks.get(id);
          if (fw != null) {
            actAs(principal, fw);
          }
          Instant now = c.now();
          FrameworkId fid = id != null ? id : FrameworkId.of("F-" + c.newId());
          FrameworkInfo withId = info.withId(fid);
          if (fw == null) {
            c.journal(
                new StateEvent.FrameworkUpserted(
                    new FrameworkRecord(
                        fid,
                        withId,
                        principal.name(),
                        now,
                        null,
                        suppressed,
                        m.nextSubscriptionOrder())));
            fw = m.frameworks.get(fid);
            m.core.addFramework(fid, withId, Map.of(), true, suppressed);
            LOG.info("framework {} ({}) subscribed", fid, withId.name());
          } else {
            end(c, fw, "another subscription of framework " + fid + " took over");
            m.offerOps().rescindAllOf(c, fw, false);
            // What SUBSCRIBE says replaces what SUPPRESS and REVIVE left (as Mesos).
            c.journal(
                new StateEvent.FrameworkUpserted(
                    new FrameworkRecord(
                        fid,
                        withId,
                        principal.name(),
                        fw.record.registeredAt(),
                        null,
                        suppressed,
                        fw.record.subscriptionOrder())));
            m.core.updateFramework(fid, withId, suppressed);
            m.core.activateFramework(fid);
            LOG.info("framework {} ({}) re-subscribed", fid, withId.name());
          }
          String streamId = c.newId().toString();
          fw.streamId = streamId;
          // At least once: every update not acknowledged yet goes out again. The mailbox has room
          // for all of them on top of its usual capacity: a framework that fell behind by a full
          // mailbox (which ends its stream) must be able to subscribe again, not overflow forever.
          List<TaskStatus> replay = new ArrayList<>();
          for (TaskRecord t : m.tasks().of(fw)) {
            replay.addAll(t.unacknowledged());
          }
          fw.mailbox = new Mailbox<>(FrameworkEntry.MAILBOX_CAPACITY + 1 + replay.size());
          long number = fw.mailbox.attach();
          m.toFramework(
              c,
              fw,
              new SchedulerEvent.Subscribed(
                  fid, streamId, m.config.frameworkHeartbeatIntervalMillis()));
          for (TaskStatus s : replay) {
            m.toFramework(c, fw, new SchedulerEvent.Update(s));
          }
          c.allocate();
          return new Master.Subscription(
              fid, streamId, new Master.Connection<>(fw.mailbox, number));
        });
  }

  /** Ends the framework's current subscription, with an ERROR event saying why. */
  private void end(Change c, FrameworkEntry fw, String why) {
    if (fw.mailbox != null) {
      m.toFramework(c, fw, new SchedulerEvent.Error(why));
      m.endFrameworkStream(c, fw);
    }
    fw.streamId = null;
    fw.mailbox = null;
  }

  /** The subscription's stream closed (the client went away, or it was superseded). */
  public void streamClosed(FrameworkId id, String streamId) {
    m.run(
        c -> {
          FrameworkEntry fw = m.frameworks.get(id);
          if (fw == null || !streamId.equals(fw.streamId)) {
            return null; // removed, or a newer subscription took over
          }
          fw.mailbox.close();
          fw.streamId = null;
          fw.mailbox = null;
          c.journal(new StateEvent.FrameworkUpserted(fw.record.withDisconnectedAt(c.now())));
          m.core.deactivateFramework(id);
          m.offerOps().rescindAllOf(c, fw, false);
          LOG.info(
              "framework {} disconnected; failover deadline {}", id, fw.record.failoverDeadline());
          return null;
        });
  }

  public void call(Principal principal, String streamId, SchedulerCall call) {
    m.run(
        c -> {
          FrameworkEntry fw = owned(principal, call.frameworkIdOrNull());
          if (!streamId.equals(fw.streamId)) {
            throw ApiError.conflict(
                "stream "
                    + streamId
                    + " is not framework "
                    + fw.record.id()
                    + "'s current subscription; subscribe again");
          }
          dispatch(c, principal, fw, call);
          return null;
        });
  }

  private void dispatch(Change c, Principal principal, FrameworkEntry fw, SchedulerCall call) {
    FrameworkId id = fw.record.id();
    switch (call) {
      case SchedulerCall.Subscribe s -> throw new IllegalStateException("handled by subscribe");
      case SchedulerCall.Accept a -> {
        Instant now = c.now();
        AcceptPlanner.Context ctx =
            new AcceptPlanner.Context(
                fw.record.info(),
                principal,
                m.authorizer,
                m.offers::get,
                o -> m.offerOps().expired(o, now),
                agent -> java.util.Optional.ofNullable(m.agents.get(agent)).map(e -> e.record),
                task -> m.task(new TaskKey(id, task)) != null);
        switch (AcceptPlanner.plan(a, ctx)) {
          case AcceptPlanner.Refused r ->
              throw ApiError.invalid(r.status(), r.title(), r.violations());
          case AcceptPlanner.Planned p -> m.offerOps().accept(c, fw, p.plan(), a.refuseSeconds());
        }
      }
      case SchedulerCall.Decline d -> m.offerOps().decline(c, id, d.offerIds(), d.refuseSeconds());
      case SchedulerCall.Kill k -> {
        TaskRecord task = m.task(new TaskKey(id, k.taskId()));
        if (task == null) {
          m.toFramework(c, fw, new SchedulerEvent.Update(m.tasks().unknown(c, id, k.taskId())));
        } else if (task.latest().state().isTerminal()) {
          m.toFramework(c, fw, new SchedulerEvent.Update(m.tasks().reconciliation(c, task)));
        } else {
          m.tasks().kill(c, task, k.gracePeriodMillis(), Reason.KILLED_BY_FRAMEWORK);
        }
      }
      case SchedulerCall.KillTasks k -> {
        List<TaskRecord> live = new ArrayList<>();
        for (TaskId t : k.taskIds()) {
          TaskRecord task = m.task(new TaskKey(id, t));
          if (task == null) {
            m.toFramework(c, fw, new SchedulerEvent.Update(m.tasks().unknown(c, id, t)));
          } else if (task.latest().state().isTerminal()) {
            m.toFramework(c, fw, new SchedulerEvent.Update(m.tasks().reconciliation(c, task)));
          } else {
            live.add(task);
          }
        }
        m.tasks().kill(c, live, k.gracePeriodMillis(), Reason.KILLED_BY_FRAMEWORK);
      }
      case SchedulerCall.Acknowledge a -> m.tasks().acknowledge(c, id, a.taskId(), a.uuid());
      case SchedulerCall.AcknowledgeUpdates a -> {
        for (Acknowledgement ack : a.updates()) {
          m.tasks().acknowledge(c, id, ack.taskId(), ack.uuid());
        }
      }
      case SchedulerCall.Reconcile r -> {
        if (r.taskIds().isEmpty()) {
          for (TaskRecord t : m.tasks().of(fw)) {
            m.toFramework(c, fw, new SchedulerEvent.Update(m.tasks().reconciliation(c, t)));
          }
        }
        for (TaskId t : r.taskIds()) {
          TaskRecord task = m.task(new TaskKey(id, t));
          m.toFramework(
              c,
              fw,
              new SchedulerEvent.Update(
                  task == null ? m.tasks().unknown(c, id, t) : m.tasks().reconciliation(c, task)));
        }
      }
      case SchedulerCall.Revive r -> {
        checkRoles(fw, r.roles());
        m.core.revive(id, r.roles());
        recordSuppression(c, fw);
        c.allocate();
      }
      case SchedulerCall.Suppress s -> {
        checkRoles(fw, s.roles());
        m.core.suppress(id, s.roles());
        recordSuppression(c, fw);
      }
      case SchedulerCall.Teardown t -> remove(c, fw, "torn down by the framework");
    }
  }

  /** Makes the framework's suppressed roles, as the core now has them, durable if they changed. */
  private void recordSuppression(Change c, FrameworkEntry fw) {
    Set<String> now = m.core.suppressedRoles(fw.record.id());
    if (!now.equals(fw.record.suppressedRoles())) {
      c.journal(new StateEvent.FrameworkUpserted(fw.record.withSuppressedRoles(now)));
    }
  }

  private static void checkRoles(FrameworkEntry fw, Set<String> roles) {
    List<Violation> bad = new ArrayList<>();
    for (String role : roles) {
      if (!fw.record.info().roles().contains(role)) {
        bad.add(
            new Violation(
                "roles[" + role + "]",
                "is not one of the framework's roles " + fw.record.info().roles()));
      }
    }
    if (!bad.isEmpty()) {
      throw ApiError.invalid(400, "Invalid roles", bad);
    }
  }

  /** The framework, if {@code principal} owns it. */
  FrameworkEntry owned(Principal principal, FrameworkId id) {
    if (id != null && m.removedFrameworks.contains(id)) {
      throw ApiError.gone("framework " + id + " was torn down");
    }
    FrameworkEntry fw = id == null ? null : m.frameworks.get(id);
    if (fw == null) {
      throw ApiError.notFound("no framework " + id);
    }
    actAs(principal, fw);
    return fw;
  }

  private void actAs(Principal principal, FrameworkEntry fw) {
    if (m.authorizer.decide(principal.name(), Action.ACT_AS_FRAMEWORK, fw.record.principal())
        instanceof Decision.Denied d) {
      throw ApiError.forbidden("framework " + fw.record.id() + ": " + d.reason());
    }
  }

  /** The principal framework {@code id} belongs to; empty if there is no such framework. */
  public java.util.Optional<String> principalOf(FrameworkId id) {
    return m.read(
        () -> java.util.Optional.ofNullable(m.frameworks.get(id)).map(fw -> fw.record.principal()));
  }

  public void teardown(FrameworkId id) {
    m.run(
        c -> {
          FrameworkEntry fw = m.frameworks.get(id);
          if (fw == null) {
            if (m.removedFrameworks.contains(id)) {
              return null;
            }
            throw ApiError.notFound("no framework " + id);
          }
          remove(c, fw, "torn down by an operator");
          return null;
        });
  }

  /** Removes a framework: its tasks are killed, its offers and store dropped, its id refused. */
  void remove(Change c, FrameworkEntry fw, String why) {
    FrameworkId id = fw.record.id();
    LOG.info("framework {} removed: {}", id, why);
    end(c, fw, "framework " + id + " was removed: " + why);
    m.offerOps().rescindAllOf(c, fw, false);
    for (TaskRecord t : m.tasks().of(fw)) {
      if (t.latest().state().isActive()) {
        m.tasks().kill(c, t, null, Reason.FRAMEWORK_REMOVED);
      }
    }
    m.core.removeFramework(id);
    // Its tasks, store and entry go with it; its id is refused from now.
    c.journal(new StateEvent.FrameworkRemoved(id, c.now()));
    c.allocate();
  }

  /** Frameworks disconnected past their failover timeout are removed. */
  void tick(Change c, Instant now) {
    for (FrameworkEntry fw : new ArrayList<>(m.frameworks.values())) {
      Instant deadline = fw.record.failoverDeadline();
      if (!fw.connected() && deadline != null && !deadline.isAfter(now)) {
        remove(c, fw, "did not re-subscribe within its failover timeout");
      }
    }
  }
}
