package io.strata.allocator.server.master;

import io.strata.allocator.authz.Action;
import io.strata.allocator.authz.Authorizer;
import io.strata.allocator.authz.Decision;
import io.strata.allocator.authz.Permission;
import io.strata.allocator.server.config.AllocatorConfig.Principal;
import io.strata.allocator.state.AgentRecord;
import io.strata.api.AgentId;
import io.strata.api.Capabilities;
import io.strata.api.FrameworkInfo;
import io.strata.api.OfferId;
import io.strata.api.Os;
import io.strata.api.ResourcePool;
import io.strata.api.Resources;
import io.strata.api.TaskId;
import io.strata.api.TaskInfo;
import io.strata.api.json.Violation;
import io.strata.api.scheduler.Operation;
import io.strata.api.scheduler.SchedulerCall;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Checks an ACCEPT completely and plans it, before anything happens: either every operation is
 * valid and the plan says exactly what to do, or the call is refused with every reason and its
 * field path, and nothing happens (no half-launches). Operations apply in order to what the offers
 * still hold: a RESERVE makes resources usable by a later LAUNCH of the same call.
 *
 * <p>Refusals: 403 if an operation names a role the principal may not use; 409 if an offer is
 * unknown (never made, already answered, rescinded or expired): the framework's view is stale; 400
 * for everything else (offers on different agents or roles, a task that does not fit, a duplicate
 * task id, an agent that cannot run a container...).
 */
final class AcceptPlanner {

  sealed interface Result {}

  record Planned(Plan plan) implements Result {}

  record Refused(int status, String title, List<Violation> violations) implements Result {}

  /** What an accepted ACCEPT does. */
  record Plan(
      AgentId agentId,
      String role,
      List<OutstandingOffer> offers,
      List<Launch> launches,
      List<ReservationChange> reservations,
      Map<String, Resources> dynamicReservations,
      ResourcePool leftover) {}

  record Launch(TaskInfo task, ResourcePool consumed) {}

  /** A dynamic reservation ({@code reserve}) or its release, in operation order. */
  record ReservationChange(boolean reserve, String role, Resources resources) {}

  /** What the planner needs to know about the world. */
  record Context(
      FrameworkInfo framework,
      Principal principal,
      Authorizer authorizer,
      Function<OfferId, Optional<OutstandingOffer>> offers,
      Predicate<OutstandingOffer> expired,
      Function<AgentId, Optional<AgentRecord>> agents,
      Predicate<TaskId> taskExists) {}

  private AcceptPlanner() {}

  static Result plan(SchedulerCall.Accept call, Context ctx) {
    List<Violation> forbidden = new ArrayList<>();
    for (int i = 0; i < call.operations().size(); i++) {
      Permission needed =
          switch (call.operations().get(i)) {
            case Operation.Reserve r -> new Permission(Action.RESERVE_RESOURCES, r.role());
            case Operation.Unreserve u -> new Permission(Action.UNRESERVE_RESOURCES, u.role());
            case Operation.Launch l -> null;
          };
      if (needed != null
          && ctx.authorizer().decide(ctx.principal().name(), needed.action(), needed.object())
              instanceof Decision.Denied d) {
        forbidden.add(new Violation("operations[" + i + "].role", d.reason()));
      }
    }
    if (!forbidden.isEmpty()) {
      return new Refused(403, "Forbidden", forbidden);
    }

    List<Violation> stale = new ArrayList<>();
    List<Violation> bad = new ArrayList<>();
    List<OutstandingOffer> offers = new ArrayList<>();
    Set<OfferId> seen = new HashSet<>();
    for (int i = 0; i < call.offerIds().size(); i++) {
      OfferId id = call.offerIds().get(i);
      String field = "offerIds[" + i + "]";
      if (!seen.add(id)) {
        bad.add(new Violation(field, "offer " + id + " is named twice"));
        continue;
      }
      Optional<OutstandingOffer> o =
          ctx.offers().apply(id).filter(x -> x.offer().frameworkId().equals(call.frameworkId()));
      if (o.isEmpty() || ctx.expired().test(o.get())) {
        stale.add(
            new Violation(
                field,
                "offer "
                    + id
                    + " is not outstanding (already answered, rescinded, expired or never made)"));
        continue;
      }
      offers.add(o.get());
    }
    if (!stale.isEmpty()) {
      return new Refused(409, "Stale offers", stale);
    }
    OutstandingOffer first = offers.get(0);
    AgentId agentId = first.offer().agentId();
    String role = first.offer().role();
    for (int i = 1; i < offers.size(); i++) {
      var offer = offers.get(i).offer();
      if (!offer.agentId().equals(agentId)) {
        bad.add(
            new Violation(
                "offerIds[" + i + "]",
                "offer "
                    + offer.id()
                    + " is on agent "
                    + offer.agentId()
                    + "; the offers of one ACCEPT must all be on one agent ("
                    + agentId
                    + ")"));
      } else if (!offer.role().equals(role)) {
        bad.add(
            new Violation(
                "offerIds[" + i + "]",
                "offer "
                    + offer.id()
                    + " is for role "
                    + offer.role()
                    + "; the offers of one ACCEPT must all be for one role ("
                    + role
                    + ")"));
      }
    }
    Optional<AgentRecord> agent = ctx.agents().apply(agentId);
    if (agent.isEmpty()) {
      return new Refused(
          409, "Stale offers", List.of(new Violation("offerIds", "agent " + agentId + " is gone")));
    }
    if (!bad.isEmpty()) {
      return new Refused(400, "Invalid ACCEPT", bad);
    }

    ResourcePool pool = ResourcePool.EMPTY;
    for (OutstandingOffer o : offers) {
      pool = pool.plus(o.offer().resources());
    }
    TreeMap<String, Resources> dynamic = new TreeMap<>(agent.get().dynamicReservations());
    List<Launch> launches = new ArrayList<>();
    List<ReservationChange> reservations = new ArrayList<>();
    Set<TaskId> ids = new HashSet<>();
    for (int i = 0; i < call.operations().size(); i++) {
      String at = "operations[" + i + "]";
      switch (call.operations().get(i)) {
        case Operation.Launch l -> {
          for (int j = 0; j < l.tasks().size(); j++) {
            String tf = at + ".tasks[" + j + "]";
            TaskInfo task = l.tasks().get(j);
            if (!ids.add(task.taskId()) || ctx.taskExists().test(task.taskId())) {
              bad.add(
                  new Violation(
                      tf + ".taskId",
                      "task id " + task.taskId() + " is already used by this framework"));
              continue;
            }
            String unsupported = unsupported(task, agent.get());
            if (unsupported != null) {
              bad.add(new Violation(tf + ".container", unsupported));
              continue;
            }
            switch (Consumption.of(pool, role, task.resources())) {
              case Consumption.Fits f -> {
                pool = pool.minus(f.consumed());
                TaskInfo withUser =
                    task.user() == null && ctx.framework().user() != null
                        ? task.withUser(ctx.framework().user())
                        : task;
                launches.add(new Launch(withUser, f.consumed()));
              }
              case Consumption.Short s ->
                  bad.add(
                      new Violation(
                          tf + ".resources",
                          "does not fit: the task needs "
                              + task.resources()
                              + " but the offers have "
                              + s.usable()
                              + " left for role "
                              + role
                              + " (short of "
                              + String.join(", ", s.missing())
                              + ")"));
            }
          }
        }
        case Operation.Reserve r -> {
          if (!r.role().equals(role)) {
            bad.add(roleMismatch(at, r.role(), role));
          } else if (!pool.unreserved().contains(r.resources())) {
            bad.add(
                new Violation(
                    at + ".resources",
                    "cannot reserve "
                        + r.resources()
                        + ": the offers have "
                        + pool.unreserved()
                        + " unreserved left"));
          } else {
            pool =
                pool.minus(ResourcePool.unreserved(r.resources()))
                    .plus(ResourcePool.reserved(role, r.resources()));
            dynamic.merge(role, r.resources(), Resources::plus);
            reservations.add(new ReservationChange(true, role, r.resources()));
          }
        }
        case Operation.Unreserve u -> {
          Resources held = dynamic.getOrDefault(role, Resources.EMPTY);
          if (!u.role().equals(role)) {
            bad.add(roleMismatch(at, u.role(), role));
          } else if (!pool.reservedFor(role).contains(u.resources())) {
            bad.add(
                new Violation(
                    at + ".resources",
                    "cannot unreserve "
                        + u.resources()
                        + ": the offers hold "
                        + pool.reservedFor(role)
                        + " reserved for "
                        + role));
          } else if (!held.contains(u.resources())) {
            bad.add(
                new Violation(
                    at + ".resources",
                    "cannot unreserve "
                        + u.resources()
                        + ": only dynamic reservations can be released, and agent "
                        + agentId
                        + " has "
                        + held
                        + " dynamically reserved for "
                        + role));
          } else {
            pool =
                pool.minus(ResourcePool.reserved(role, u.resources()))
                    .plus(ResourcePool.unreserved(u.resources()));
            Resources left = held.minus(u.resources());
            if (left.isEmpty()) {
              dynamic.remove(role);
            } else {
              dynamic.put(role, left);
            }
            reservations.add(new ReservationChange(false, role, u.resources()));
          }
        }
      }
    }
    if (!bad.isEmpty()) {
      return new Refused(400, "Invalid ACCEPT", bad);
    }
    return new Planned(new Plan(agentId, role, offers, launches, reservations, dynamic, pool));
  }

  private static Violation roleMismatch(String at, String asked, String offerRole) {
    return new Violation(
        at + ".role",
        "role "
            + asked
            + " differs from the offers' role "
            + offerRole
            + "; reserve and unreserve in the role the resources were offered to");
  }

  /** Why the agent cannot run the task's container, or null if it can. */
  private static String unsupported(TaskInfo task, AgentRecord agent) {
    if (task.container() == null) {
      return null;
    }
    String needed =
        agent.info().os() == Os.WINDOWS ? Capabilities.WINDOWS_CONTAINERS : Capabilities.DOCKER;
    return agent.info().hasCapability(needed)
        ? null
        : "agent "
            + agent.id()
            + " ("
            + agent.info().os().wire()
            + ") cannot run containers: it"
            + " lacks the "
            + needed
            + " capability";
  }
}
