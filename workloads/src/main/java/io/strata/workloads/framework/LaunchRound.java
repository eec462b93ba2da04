package io.strata.workloads.framework;

import io.strata.api.AgentId;
import io.strata.api.Offer;
import io.strata.api.OfferId;
import io.strata.api.TaskId;
import io.strata.api.TaskInfo;
import io.strata.api.client.ApiException;
import io.strata.api.scheduler.Operation;
import io.strata.workloads.core.Assignment;
import io.strata.workloads.core.Candidate;
import io.strata.workloads.core.PendingReason;
import io.strata.workloads.core.Placement;
import io.strata.workloads.core.PlacementResult;
import io.strata.workloads.core.TaskGroup;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One offer round, the mechanism around {@link Placement}: place the pending groups on the offers,
 * ACCEPT each offer that got tasks (one LAUNCH per offer), DECLINE the rest, and report what was
 * launched, what the allocator refused, and why the others wait.
 */
public final class LaunchRound {
  private static final System.Logger LOG = System.getLogger(LaunchRound.class.getName());

  /** Sends the ACCEPT calls of a round side by side (virtual threads). */
  private static final java.util.concurrent.ExecutorService IO =
      java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();

  private static final int MAX_ACCEPTS_IN_FLIGHT = 128;

  /** Declined offers come back this soon while tasks wait, to re-try with fresh offers. */
  static final long REFUSE_WHILE_WAITING_SECONDS = 2;

  /** Declined offers stay away this long when nothing waits. */
  static final long REFUSE_WHEN_IDLE_SECONDS = 60;

  /**
   * @param launched tasks the allocator accepted, with where they go
   * @param refused tasks whose ACCEPT failed (the offer was rescinded...), with the error
   * @param unplaced tasks left waiting, with the reasons
   */
  public record Result(
      Map<TaskId, Assignment> launched,
      Map<TaskId, String> refused,
      Map<TaskId, List<PendingReason>> unplaced) {}

  private LaunchRound() {}

  public static Result run(
      SchedulerLink link,
      OfferedAgents book,
      List<Offer> offers,
      List<TaskGroup> groups,
      Map<String, List<AgentId>> running,
      Function<Assignment, TaskInfo> build) {
    long started = System.nanoTime();
    List<Candidate> candidates = book.candidates(offers);
    PlacementResult placement = Placement.place(candidates, groups, running);
    long placed = System.nanoTime();
    Map<TaskId, Assignment> launched = new HashMap<>();
    Map<TaskId, String> refused = new HashMap<>();
    List<OfferId> unused = new ArrayList<>();
    List<java.util.concurrent.Future<?>> accepts = new ArrayList<>();
    Map<OfferId, String> failed = new java.util.concurrent.ConcurrentHashMap<>();
    long refuse = refuseSeconds(placement);
    for (Offer offer : offers) {
      List<Assignment> assignments = placement.launches().get(offer.id());
      if (assignments == null) {
        unused.add(offer.id());
        continue;
      }
      List<TaskInfo> tasks = new ArrayList<>(assignments.size());
      for (Assignment a : assignments) {
        tasks.add(build.apply(a));
      }
      // ACCEPTs of different offers are independent: send them side by side.
      accepts.add(
          IO.submit(
              () -> {
                try {
                  link.accept(List.of(offer.id()), List.of(new Operation.Launch(tasks)), refuse);
                } catch (ApiException e) {
                  LOG.log(
                      Level.WARNING, "ACCEPT of offer {0} failed: {1}", offer.id(), e.getMessage());
                  failed.put(offer.id(), e.getMessage());
                }
                return null;
              }));
      if (accepts.size() >= MAX_ACCEPTS_IN_FLIGHT) {
        join(accepts);
      }
    }
    join(accepts);
    for (Map.Entry<OfferId, List<Assignment>> e : placement.launches().entrySet()) {
      String error = failed.get(e.getKey());
      for (Assignment a : e.getValue()) {
        if (error != null) {
          refused.put(a.task(), error);
        } else {
          launched.put(a.task(), a);
          book.used(a.agent(), a.resources());
        }
      }
    }
    if (!unused.isEmpty()) {
      try {
        link.decline(unused, refuse);
      } catch (ApiException e) {
        LOG.log(Level.WARNING, "DECLINE failed: {0}", e.getMessage());
      }
    }
    LOG.log(
        Level.DEBUG,
        "offer round: {0} offers, {1} groups: {2} launched, {3} refused, {4} unplaced;"
            + " placement {5} ms, accepts and declines {6} ms",
        offers.size(),
        groups.size(),
        launched.size(),
        refused.size(),
        placement.unplaced().size(),
        (placed - started) / 1_000_000,
        (System.nanoTime() - placed) / 1_000_000);
    return new Result(launched, refused, placement.unplaced());
  }

  private static void join(List<java.util.concurrent.Future<?>> futures) {
    for (java.util.concurrent.Future<?> f : futures) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (java.util.concurrent.ExecutionException e) {
        throw new IllegalStateException("an ACCEPT failed unexpectedly", e.getCause());
      }
    }
    futures.clear();
  }

  /**
   * Declines offers briefly while the framework waits for reconciliation after a restart (it does
   * not know yet what runs), so they come back soon after.
   */
  public static void declineWhileRecovering(SchedulerLink link, List<Offer> offers) {
    if (offers.isEmpty()) {
      return;
    }
    try {
      link.decline(offers.stream().map(Offer::id).toList(), REFUSE_WHILE_WAITING_SECONDS);
    } catch (ApiException e) {
      LOG.log(Level.WARNING, "DECLINE failed: {0}", e.getMessage());
    }
  }

  private static long refuseSeconds(PlacementResult placement) {
    return placement.unplaced().isEmpty() ? REFUSE_WHEN_IDLE_SECONDS : REFUSE_WHILE_WAITING_SECONDS;
  }

  /** The reasons tasks of {@code groups} would wait given only what the book knows (no offers). */
  public static Map<TaskId, List<PendingReason>> explain(
      OfferedAgents book, List<TaskGroup> groups, Map<String, List<AgentId>> running) {
    return Placement.place(book.knownAgents(), groups, running).unplaced();
  }
}
