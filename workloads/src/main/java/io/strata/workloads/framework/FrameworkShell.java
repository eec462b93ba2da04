package io.strata.workloads.framework;

import io.strata.api.AgentId;
import io.strata.api.FrameworkId;
import io.strata.api.FrameworkInfo;
import io.strata.api.Offer;
import io.strata.api.OfferId;
import io.strata.api.Reason;
import io.strata.api.TaskId;
import io.strata.api.TaskInfo;
import io.strata.api.TaskStatus;
import io.strata.api.client.ApiException;
import io.strata.api.scheduler.LaunchedTask;
import io.strata.workloads.core.Assignment;
import io.strata.workloads.core.InstancePhase;
import io.strata.workloads.core.PendingReason;
import io.strata.workloads.core.TaskGroup;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * What every built-in framework does the same way, whatever it runs (as Nomad's {@code
 * generic_sched} serves service and batch jobs alike): the scheduler protocol (subscription and
 * reconciliation, offer rounds, SUPPRESS/REVIVE, KILLs and their retries) and the table of tracked
 * tasks with their status transitions. What differs is the policy, in the subclass: which tasks
 * exist and when (the services' {@link io.strata.workloads.core.ServicePlanner}, the jobs' {@link
 * io.strata.workloads.core.RunMachine} and {@link io.strata.workloads.core.CronPlanner}), answered
 * as {@link Effect}s that this shell carries out.
 *
 * <p>After a restart ({@code resumed}) the shell reconciles and, for a grace period, declines
 * offers and decides nothing while the allocator reports the tasks that still run; the policy
 * adopts them ({@link #adopt}) or they are killed.
 */
public abstract class FrameworkShell implements FrameworkHandler {
  private static final System.Logger LOG = System.getLogger(FrameworkShell.class.getName());
  private static final Duration RECONCILE_GRACE = Duration.ofSeconds(3);
  private static final Duration KILL_RETRY = Duration.ofSeconds(30);
  private static final Duration RECONCILE_EVERY = Duration.ofMinutes(5);

  protected final Clock clock;
  protected final TaskTable tasks = new TaskTable();
  private final String name;
  private final String kind;
  private final String role;
  private final OfferedAgents book = new OfferedAgents();
  private SchedulerLink link;
  private FrameworkId frameworkId;

  /** Whether we asked the allocator to stop offers; null: unknown (just subscribed). */
  private Boolean suppressed;

  /** Whether tasks were ready to place at the last check, and whether new ones came since. */
  private boolean wanted;

  private boolean newWork;
  private Instant recoveringUntil = Instant.MIN;
  private Instant nextReconcile = Instant.MIN;

  /** While recovering: the allocator's records of our tasks, for placing adopted ones. */
  private Map<TaskId, LaunchedTask> recorded = Map.of();

  /**
   * @param name the framework's name ({@code strata-services})
   * @param kind what its tasks are, as views show it ({@code service}, {@code job})
   */
  protected FrameworkShell(String name, String kind, String role, Clock clock) {
    this.name = name;
    this.kind = kind;
    this.role = role;
    this.clock = clock;
  }

  @Override
  public final FrameworkInfo info() {
    return new FrameworkInfo(null, name, null, Set.of(role), null, null, null);
  }

  // ---- the policy ----

  /**
   * The subscription is open ({@code sameFramework}: with the id the framework had): load or carry
   * over what the store keeps. Runs before reconciliation.
   */
  protected abstract void load(boolean sameFramework, boolean resumed);

  /** Tasks to reconcile by id after a restart, beside all the allocator knows (may be empty). */
  protected List<TaskId> expected() {
    return List.of();
  }

  /**
   * Decide afresh from what the table holds: nothing after a new subscription (the allocator knows
   * no task of ours), the adopted tasks when the recovery grace ends.
   */
  protected abstract void decide(Instant now);

  /**
   * The groups of PENDING tasks ready to place at {@code now}; tasks held back (a restart backoff)
   * go into {@code held} with why.
   */
  protected abstract List<TaskGroup> ready(Instant now, Map<TaskId, List<PendingReason>> held);

  /** The task to launch for a placed one. */
  protected abstract TaskInfo build(Assignment a);

  /**
   * An update for a task the table does not have (after a restart, or one of a removed owner): the
   * task to track from now on (then updated by {@code status}), or null when the policy dealt with
   * it (see {@link #killOrphan}).
   */
  protected abstract TrackedTask adopt(TaskStatus status, Instant now);

  /**
   * A tracked task's status changed ({@code task}: as it is after); a terminal one has already left
   * the table. Whatever must survive a restart because of it is stored before returning.
   */
  protected abstract void updated(TrackedTask task, TaskStatus status, Instant now);

  /** Timers at {@code now} (not while recovering): schedules, deadlines, deployment outcomes. */
  protected abstract void timers(Instant now);

  /** The grace period of the owner's KILLs (null: the agent's default). */
  protected abstract Long killGracePeriod(String owner);

  /**
   * Why the app or job {@code owner} is not (all) running, or, with {@code task}, that task of it;
   * null if {@code owner} is not ours. {@code view}: a task's view, with fresh reasons if it waits.
   */
  protected abstract WhyView why(
      String owner, TrackedTask task, Instant now, Function<TrackedTask, TaskView> view);

  /** An agent is draining; it gets no new tasks. A policy may move its tasks away. */
  protected void draining(AgentId agent) {}

  // ---- what the policy may use ----

  /** Carries out effects, in order. */
  protected final void apply(List<Effect> effects) {
    Instant now = clock.instant();
    KillBatch kills = new KillBatch();
    for (Effect e : effects) {
      switch (e) {
        case Effect.Create c -> tasks.create(c.task());
        case Effect.Kill k -> {
          TrackedTask t = tasks.get(k.task());
          if (t == null || t.phase() == InstancePhase.PENDING) {
            tasks.remove(k.task());
          } else if (t.phase() != InstancePhase.KILLING) {
            tasks.put(t.killing(k.why(), now));
            kills.add(t.id(), k.gracePeriodMillis());
          }
        }
      }
    }
    if (!kills.isEmpty()) {
      safely(() -> kills.send(link));
    }
  }

  /** Kills a task no owner of ours tracks, unless it already ended. */
  protected final void killOrphan(TaskStatus status) {
    if (!status.state().isTerminal()) {
      LOG.log(Level.INFO, "{0}: killing orphan task {1}", name, status.taskId());
      safely(() -> link.kill(List.of(status.taskId()), null));
    }
  }

  /** The allocator's link (its store), or null while not subscribed. */
  protected final SchedulerLink link() {
    return link;
  }

  protected final void requireConnected() {
    if (link == null) {
      throw new Unavailable("the " + kind + "s framework is not subscribed to the allocator yet");
    }
  }

  /**
   * Runs a call to the allocator whose failure the framework outlives (it retries or reconciles).
   */
  protected final void safely(Runnable call) {
    try {
      call.run();
    } catch (ApiException e) {
      LOG.log(Level.WARNING, "{0}: call to the allocator failed: {1}", name, e.getMessage());
    }
  }

  /** Revive when tasks can be placed; suppress when none wait. */
  protected final void updateOfferInterest() {
    if (link == null) {
      return;
    }
    boolean want = !ready(clock.instant(), new HashMap<>()).isEmpty();
    boolean fresh = tasks.takeAdded() | newWork;
    // Revive also when work appears while not suppressed: offers declined earlier with a long
    // filter (nothing was waiting then) must come back now.
    if (want && (!Boolean.FALSE.equals(suppressed) || !wanted || fresh)) {
      LOG.log(Level.DEBUG, "{0}: revive (tasks wait)", name);
      safely(link::revive);
      suppressed = false;
    } else if (!want && !Boolean.TRUE.equals(suppressed)) {
      LOG.log(Level.DEBUG, "{0}: suppress (nothing waits)", name);
      safely(link::suppress);
      suppressed = true;
    }
    wanted = want;
    newWork = false;
  }

  // ---- views ----

  public final boolean recovering() {
    return clock.instant().isBefore(recoveringUntil);
  }

  /** Reasons for pending tasks, refreshed against what the framework knows now. */
  public final Map<TaskId, List<PendingReason>> explain() {
    Map<TaskId, List<PendingReason>> out = new HashMap<>();
    List<TaskGroup> groups = ready(clock.instant(), out);
    out.putAll(LaunchRound.explain(book, groups, tasks.running()));
    return out;
  }

  /** The task's view, with fresh reasons when its last offer round gave none. */
  protected final TaskView view(TrackedTask t, Map<TaskId, List<PendingReason>> fresh) {
    TaskView v = t.view(kind);
    List<PendingReason> reasons = fresh.get(t.id());
    if (t.phase() == InstancePhase.PENDING && t.reasons().isEmpty() && reasons != null) {
      return v.withReasons(reasons);
    }
    return v;
  }

  /** The views of these tasks, pending ones with their reasons. */
  protected final List<TaskView> views(Iterable<TrackedTask> list) {
    Map<TaskId, List<PendingReason>> fresh = explain();
    List<TaskView> out = new ArrayList<>();
    list.forEach(t -> out.add(view(t, fresh)));
    return out;
  }

  /** Every tracked task, pending ones with the reasons they wait. */
  public final List<TaskView> tasks() {
    return views(tasks.all());
  }

  /** Why an app, a job or a task is not (all) running; empty if the id is not ours. */
  public final Optional<WhyView> why(String id) {
    var fresh =
        new Object() {
          Map<TaskId, List<PendingReason>> reasons;

          TaskView of(TrackedTask t) {
            reasons = reasons == null ? explain() : reasons;
            return view(t, reasons);
          }
        };
    TrackedTask task = TaskTable.parse(id).map(tasks::get).orElse(null);
    String owner = task == null ? id : task.owner();
    return Optional.ofNullable(why(owner, task, clock.instant(), fresh::of));
  }

  // ---- allocator events ----

  @Override
  public final void subscribed(FrameworkId id, SchedulerLink newLink, boolean resumed) {
    link = newLink;
    suppressed = null;
    boolean sameFramework = id.equals(frameworkId);
    frameworkId = id;
    load(sameFramework, resumed);
    Instant now = clock.instant();
    nextReconcile = now.plus(RECONCILE_EVERY);
    if (!resumed) {
      recoveringUntil = Instant.MIN;
      tasks.clear(); // a new framework id: the old tasks are not ours
      decide(now);
      return;
    }
    recoveringUntil = now.plus(RECONCILE_GRACE);
    recorded = recorded();
    List<TaskId> expected = expected();
    if (!expected.isEmpty()) {
      link.reconcile(expected);
    }
    link.reconcile(List.of());
  }

  /**
   * Where the allocator says our tasks run (agent, hostname, resources with ports), so adopted
   * tasks show them although this framework never saw their offers (a restart, an allocator
   * failover).
   */
  private Map<TaskId, LaunchedTask> recorded() {
    Map<TaskId, LaunchedTask> out = new HashMap<>();
    try {
      link.tasks().forEach(t -> out.put(t.taskId(), t));
    } catch (ApiException e) {
      LOG.log(
          Level.WARNING, "{0}: cannot read our tasks at the allocator: {1}", name, e.getMessage());
    }
    return out;
  }

  @Override
  public final void disconnected() {
    link = null;
  }

  @Override
  public final void offers(List<Offer> offers) {
    if (recovering()) {
      LaunchRound.declineWhileRecovering(link, offers);
      return;
    }
    Instant now = clock.instant();
    List<TaskGroup> groups = ready(now, new HashMap<>());
    LaunchRound.Result result =
        LaunchRound.run(link, book, offers, groups, tasks.running(), this::build);
    for (TaskGroup g : groups) {
      for (TaskId id : g.tasks()) {
        TrackedTask t = tasks.get(id);
        Assignment a = result.launched().get(id);
        if (a != null) {
          String host = book.agent(a.agent()).map(f -> f.hostname()).orElse(null);
          tasks.put(t.launched(a.agent(), host, a.resources(), now));
        } else if (result.refused().containsKey(id)) {
          String why = "launch refused: " + result.refused().get(id);
          tasks.put(t.waiting(List.of(PendingReason.of(PendingReason.Code.WAITING, why))));
        } else if (result.unplaced().containsKey(id)) {
          tasks.put(t.waiting(result.unplaced().get(id)));
        }
      }
    }
    updateOfferInterest();
  }

  @Override
  public final void rescinded(OfferId offer) {
    // Offers are answered as soon as they arrive; nothing is held.
  }

  @Override
  public final void update(TaskStatus status) {
    Instant now = clock.instant();
    TrackedTask t = tasks.get(status.taskId());
    if (t == null) {
      t = adopt(status, now);
      if (t == null) {
        return;
      }
      LaunchedTask r = recorded.get(t.id());
      if (r != null) {
        t = t.placed(r.agentId(), r.hostname(), r.resources());
      }
      tasks.put(t);
    } else if (t.phase() == InstancePhase.PENDING && status.reason() == Reason.TASK_UNKNOWN) {
      return; // never launched (a restart came first): the allocator does not know it
    }
    String host =
        status.agentId() == null
            ? null
            : book.agent(status.agentId()).map(f -> f.hostname()).orElse(null);
    TrackedTask after = t.updated(status, host, now);
    if (status.state().isTerminal()) {
      tasks.remove(t.id());
      newWork = true; // its host and resources are free: waiting tasks may fit now
    } else {
      tasks.put(after);
    }
    updated(after, status, now);
  }

  @Override
  public final void agentLost(AgentId agent) {
    book.exclude(agent);
  }

  @Override
  public final void agentDraining(AgentId agent, Instant deadline) {
    book.exclude(agent);
    draining(agent);
  }

  @Override
  public final void tick(Instant now) {
    if (link == null) {
      return;
    }
    if (!recoveringUntil.equals(Instant.MIN) && !now.isBefore(recoveringUntil)) {
      recoveringUntil = Instant.MIN;
      recorded = Map.of();
      newWork = true; // offers declined while recovering must come back
      decide(now);
    }
    KillBatch retries = new KillBatch();
    for (TrackedTask t : tasks.all()) {
      if (t.phase() == InstancePhase.KILLING
          && t.killRequestedAt() != null
          && now.isAfter(t.killRequestedAt().plus(KILL_RETRY))) {
        tasks.put(t.killing(null, now)); // no terminal update yet: the kill may have been lost
        retries.add(t.id(), killGracePeriod(t.owner()));
      }
    }
    if (!retries.isEmpty()) {
      safely(() -> retries.send(link));
    }
    if (!recovering()) {
      timers(now);
    }
    if (now.isAfter(nextReconcile)) {
      nextReconcile = now.plus(RECONCILE_EVERY);
      safely(() -> link.reconcile(List.of()));
    }
    updateOfferInterest();
  }
}
