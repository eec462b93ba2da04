package io.strata.workloads.services;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.api.AgentId;
import io.strata.api.FrameworkId;
import io.strata.api.FrameworkInfo;
import io.strata.api.Offer;
import io.strata.api.OfferId;
import io.strata.api.TaskId;
import io.strata.api.TaskState;
import io.strata.api.TaskStatus;
import io.strata.api.client.ApiException;
import io.strata.api.json.Codec;
import io.strata.workloads.core.Assignment;
import io.strata.workloads.core.DeploymentHistory;
import io.strata.workloads.core.InstancePhase;
import io.strata.workloads.core.PendingReason;
import io.strata.workloads.core.Revision;
import io.strata.workloads.core.RolloutPlan;
import io.strata.workloads.core.ServiceAction;
import io.strata.workloads.core.ServiceInstance;
import io.strata.workloads.core.ServicePlanner;
import io.strata.workloads.core.TaskGroup;
import io.strata.workloads.framework.FrameworkHandler;
import io.strata.workloads.framework.LaunchRound;
import io.strata.workloads.framework.NotFound;
import io.strata.workloads.framework.OfferedAgents;
import io.strata.workloads.framework.SchedulerLink;
import io.strata.workloads.framework.TaskIds;
import io.strata.workloads.framework.TaskView;
import io.strata.workloads.framework.Unavailable;
import io.strata.workloads.framework.WhyView;
import io.strata.workloads.spec.AppSpec;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The built-in services framework (like Marathon): keeps each app's instances running, restarts
 * them with exponential backoff, rolls them to new versions, and explains why any instance waits.
 * Decisions come from {@link ServicePlanner} and {@link io.strata.workloads.core.Placement}; this
 * class applies them and keeps specs in the allocator's framework store ({@code app.<id>}).
 *
 * <p>Task ids are {@code <app>.v<version>.<nonce>}, so after a restart the tasks the allocator
 * reports (RECONCILE) are matched to their apps and versions without storing instances.
 */
public final class ServicesFramework implements FrameworkHandler {
  public static final String NAME = "strata-services";
  public static final String DEFAULT_ROLE = "services";
  private static final System.Logger LOG = System.getLogger(ServicesFramework.class.getName());
  private static final String KEY_PREFIX = "app.";
  private static final Duration RECONCILE_GRACE = Duration.ofSeconds(3);
  private static final Duration KILL_RETRY = Duration.ofSeconds(30);
  private static final Duration RECONCILE_EVERY = Duration.ofMinutes(5);

  private final String role;
  private final Clock clock;
  private final TaskIds ids;
  private final OfferedAgents book = new OfferedAgents();
  private final Map<String, App> apps = new TreeMap<>();
  private SchedulerLink link;

  /** Whether we asked the allocator to stop offers; null: unknown (just subscribed). */
  private Boolean suppressed;

  /** Whether tasks were ready to place at the last check, and whether new ones came since. */
  private boolean wanted;

  private boolean newWork;

  private Instant recoveringUntil = Instant.MIN;
  private Instant nextReconcile = Instant.MIN;
  private FrameworkId frameworkId;

  public ServicesFramework(String role, Clock clock, TaskIds ids) {
    this.role = role;
    this.clock = clock;
    this.ids = ids;
  }

  @Override
  public FrameworkInfo info() {
    return new FrameworkInfo(null, NAME, null, Set.of(role), null, null, null);
  }

  // ---- operations, called on the loop thread through the API ----

  /** Creates or updates an app. Returns what changed: created, updated, scaled or unchanged. */
  public String submit(AppSpec spec) {
    return submit(spec, null);
  }

  /**
   * Creates or updates an app for principal {@code by} (null if unknown), recorded in its history.
   */
  public String submit(AppSpec spec, String by) {
    return apply(spec, by, null);
  }

  /** What {@link #submit} would do with {@code spec}, doing nothing. */
  public RolloutPlan dryRun(AppSpec spec) {
    requireConnected();
    return AppRollouts.plan(apps.get(spec.id()), spec);
  }

  /** The app's kept versions, oldest first, the current one last. */
  public AppHistoryView history(String appId) {
    App app = existing(appId);
    return new AppHistoryView(app.spec.id(), app.version, app.history.revisions());
  }

  /**
   * Rolls the app to the task of an earlier version ({@code toVersion}, or the one before the
   * current), as a new version by the usual rolling update; the instance count stays.
   *
   * @throws NotFound if {@code toVersion} is not in the app's history
   * @throws ValidationException if there is no earlier version to roll back to
   */
  public String rollback(String appId, Long toVersion, String by) {
    requireConnected();
    App app = existing(appId);
    Revision<AppSpec> target = AppRollouts.rollbackTarget(app, toVersion);
    AppSpec spec = target.spec().with(app.spec.instances(), app.spec.revisionHistoryLimit());
    if (!spec.differsInTaskFrom(app.spec)) {
      return "unchanged: v" + target.version() + " has the task v" + app.version + " runs";
    }
    return apply(spec, by, target);
  }

  private String apply(AppSpec spec, String by, Revision<AppSpec> rollbackOf) {
    requireConnected();
    Instant now = clock.instant();
    App app = apps.get(spec.id());
    String change;
    if (app == null) {
      app = new App(spec, 1, now, now, false);
      app.history =
          app.history.deployed(1, spec, now, "created", by, false, spec.revisionHistoryLimit());
      change = "created";
    } else if (app.removing || spec.differsInTaskFrom(app.spec)) {
      AppRollouts.NewVersion v = AppRollouts.newVersion(app, spec, by, rollbackOf, now);
      app = replace(app, spec, app.version + 1, now);
      app.history = v.history();
      change = v.change();
    } else if (!spec.instances().equals(app.spec.instances())) {
      change = "scaled from " + app.spec.instances() + " to " + spec.instances();
      app = replace(app, spec, app.version, now);
      app.history = app.history.respecified(spec);
    } else if (!spec.equals(app.spec)) {
      change = "updated in place (no new version)";
      app = replace(app, spec, app.version, now);
      app.history = app.history.respecified(spec);
    } else {
      return "unchanged";
    }
    store(app);
    apps.put(spec.id(), app);
    plan(app);
    updateOfferInterest(now);
    return change;
  }

  private App replace(App old, AppSpec spec, long version, Instant now) {
    App app = new App(spec, version, old.createdAt, now, false);
    app.instances.putAll(old.instances);
    app.consecutiveFailures = old.consecutiveFailures;
    app.restartNotBefore = old.restartNotBefore;
    app.recent.addAll(old.recent);
    app.history = old.history;
    if (version == old.version) {
      app.versionFailures = old.versionFailures;
      app.lastFailure = old.lastFailure;
    }
    return app;
  }

  public String scale(String appId, int instances) {
    App app = existing(appId);
    return submit(app.spec.withInstances(instances));
  }

  /** Stops an app: kills its instances and forgets it once they are gone. */
  public void remove(String appId) {
    requireConnected();
    App app = existing(appId);
    app.removing = true;
    app.updatedAt = clock.instant();
    store(app);
    plan(app);
    updateOfferInterest(clock.instant());
  }

  /** Kills one instance; the app replaces it (without counting a failure). */
  public void kill(TaskId taskId) {
    requireConnected();
    App app = apps.get(appOf(taskId));
    Instance inst = app == null ? null : app.instances.get(taskId);
    if (inst == null) {
      throw new NotFound("no service task " + taskId);
    }
    killInstance(app, inst, "killed by a user");
    plan(app);
    updateOfferInterest(clock.instant());
  }

  /** Every app with its counts; instances only in {@link #appView} (an app may have 100,000). */
  public List<AppView> appViews() {
    List<AppView> out = new ArrayList<>();
    for (App app : apps.values()) {
      out.add(AppView.of(app, false));
    }
    return out;
  }

  public AppView appView(String id) {
    App app = existing(id);
    return withFreshReasons(AppView.of(app), app, explain());
  }

  private static AppView withFreshReasons(
      AppView v, App app, Map<TaskId, List<PendingReason>> fresh) {
    List<TaskView> tasks = new ArrayList<>();
    for (Instance inst : app.instances.values()) {
      tasks.add(AppWhy.withReasons(inst, app, fresh));
    }
    return new AppView(
        v.id(),
        v.version(),
        v.instances(),
        v.running(),
        v.healthy(),
        v.pending(),
        v.status(),
        v.createdAt(),
        v.updatedAt(),
        v.spec(),
        tasks,
        v.recentTerminations());
  }

  /** Every instance of every app, with the reasons pending ones wait. */
  public List<TaskView> tasks() {
    Map<TaskId, List<PendingReason>> fresh = explain();
    List<TaskView> out = new ArrayList<>();
    for (App app : apps.values()) {
      for (Instance inst : app.instances.values()) {
        out.add(AppWhy.withReasons(inst, app, fresh));
      }
    }
    return out;
  }

  /** Why an app or one of its instances is not (all) running; empty if the id is not ours. */
  public java.util.Optional<WhyView> why(String id) {
    App app = apps.get(id);
    if (app != null) {
      return java.util.Optional.of(AppWhy.of(app, clock.instant(), explain()));
    }
    TaskId taskId;
    try {
      taskId = TaskId.of(id);
    } catch (IllegalArgumentException e) {
      return java.util.Optional.empty();
    }
    App owner = apps.get(appOf(taskId));
    Instance inst = owner == null ? null : owner.instances.get(taskId);
    return inst == null
        ? java.util.Optional.empty()
        : java.util.Optional.of(AppWhy.ofTask(owner, inst, explain()));
  }

  /** Reasons for pending instances, refreshed against what the framework knows now. */
  public Map<TaskId, List<PendingReason>> explain() {
    Map<TaskId, List<PendingReason>> out = new HashMap<>();
    Instant now = clock.instant();
    List<TaskGroup> groups = new ArrayList<>();
    for (App app : apps.values()) {
      List<TaskId> pending = pending(app, true);
      if (pending.isEmpty()) {
        continue;
      }
      if (backoffLeft(app, now).isPositive()) {
        List<PendingReason> reasons = List.of(backoffReason(app, now));
        pending.forEach(id -> out.put(id, reasons));
      } else {
        groups.add(group(app, pending));
      }
    }
    out.putAll(LaunchRound.explain(book, groups, running()));
    return out;
  }

  public boolean recovering() {
    return clock.instant().isBefore(recoveringUntil);
  }

  // ---- allocator events ----

  @Override
  public void subscribed(FrameworkId id, SchedulerLink newLink, boolean resumed) {
    this.link = newLink;
    this.suppressed = null;
    boolean sameFramework = id.equals(frameworkId);
    this.frameworkId = id;
    if (apps.isEmpty() || !sameFramework) {
      if (!sameFramework && !apps.isEmpty() && !resumed) {
        apps.values().forEach(this::store); // a new framework id: carry the specs over
      }
      load();
    }
    if (resumed) {
      recoveringUntil = clock.instant().plus(RECONCILE_GRACE);
      link.reconcile(List.of());
    } else {
      apps.values().forEach(a -> a.instances.clear());
      apps.values().forEach(this::plan);
    }
    nextReconcile = clock.instant().plus(RECONCILE_EVERY);
  }

  private void load() {
    for (String key : link.keys()) {
      if (!key.startsWith(KEY_PREFIX)) {
        continue;
      }
      link.get(key)
          .ifPresent(
              json -> {
                App.StoredApp s = Codec.JSON.mapper().convertValue(json, App.StoredApp.class);
                apps.computeIfAbsent(s.spec().id(), k -> loaded(s));
              });
    }
    LOG.log(Level.INFO, "services: {0} apps loaded from the store", apps.size());
  }

  /** An app read from the store, with its history (begun now if none was kept). */
  private App loaded(App.StoredApp s) {
    App app = new App(s.spec(), s.version(), s.createdAt(), s.updatedAt(), s.removing());
    app.history = AppRollouts.loadedHistory(app, AppHistories.get(link, s.spec().id()));
    return app;
  }

  @Override
  public void disconnected() {
    link = null;
  }

  @Override
  public void offers(List<Offer> offers) {
    Instant now = clock.instant();
    if (recovering()) {
      LaunchRound.declineWhileRecovering(link, offers);
      return;
    }
    List<TaskGroup> groups = new ArrayList<>();
    for (App app : apps.values()) {
      List<TaskId> pending = pending(app, true);
      if (!pending.isEmpty() && !backoffLeft(app, now).isPositive()) {
        groups.add(group(app, pending));
      }
    }
    LaunchRound.Result result =
        LaunchRound.run(link, book, offers, groups, running(), this::buildTask);
    for (App app : apps.values()) {
      for (Instance inst : app.instances.values()) {
        if (inst.phase != InstancePhase.PENDING) {
          continue;
        }
        Assignment a = result.launched().get(inst.id);
        if (a != null) {
          inst.phase = InstancePhase.LAUNCHING;
          inst.state = TaskState.STAGING.name();
          inst.agent = a.agent();
          inst.hostname = book.agent(a.agent()).map(f -> f.hostname()).orElse(null);
          inst.resources = a.resources();
          inst.since = now;
          inst.reasons = List.of();
        } else if (result.refused().containsKey(inst.id)) {
          inst.reasons =
              List.of(
                  PendingReason.of(
                      PendingReason.Code.WAITING,
                      "launch refused: " + result.refused().get(inst.id)));
        } else if (result.unplaced().containsKey(inst.id)) {
          inst.reasons = result.unplaced().get(inst.id);
        }
      }
    }
    updateOfferInterest(now);
  }

  @Override
  public void rescinded(OfferId offer) {
    // Offers are answered as soon as they arrive; nothing is held.
  }

  @Override
  public void update(TaskStatus status) {
    Instant now = clock.instant();
    String appId = appOf(status.taskId());
    App app = apps.get(appId);
    Instance inst = app == null ? null : app.instances.get(status.taskId());
    if (inst == null) {
      adoptOrKill(app, status, now);
      return;
    }
    inst.message = status.message();
    if (status.agentId() != null) {
      inst.agent = status.agentId();
      book.agent(status.agentId()).ifPresent(f -> inst.hostname = f.hostname());
    }
    if (!status.state().name().equals(inst.state)) {
      inst.since = now;
    }
    inst.state = status.state().name();
    switch (status.state()) {
      case STAGING, STARTING -> {
        if (inst.phase != InstancePhase.KILLING) {
          inst.phase = InstancePhase.LAUNCHING;
        }
      }
      case RUNNING -> {
        if (inst.phase != InstancePhase.KILLING) {
          inst.phase = InstancePhase.RUNNING;
        }
        if (inst.runningSince == null) {
          inst.runningSince = now;
        }
        inst.healthy = status.healthy();
      }
      case UNREACHABLE -> {
        if (inst.phase != InstancePhase.KILLING) {
          inst.phase = InstancePhase.UNREACHABLE;
        }
      }
      default -> ended(app, inst, status, now);
    }
    boolean unexpectedEnd = status.state().isTerminal() && !inst.killExpected;
    if (app.removing) {
      if (app.instances.isEmpty()) {
        forget(app);
      }
    } else if (unexpectedEnd || !app.settled) {
      plan(app);
    }
  }

  private void ended(App app, Instance inst, TaskStatus status, Instant now) {
    app.instances.remove(inst.id);
    newWork = true; // its host and resources are free: waiting instances may fit now
    app.remember(
        new InstanceEnd(
            inst.id.value(),
            status.state().name(),
            status.reason() == null ? null : status.reason().name(),
            status.exitCode(),
            status.message(),
            now));
    if (!inst.killExpected && inst.version == app.version) {
      app.versionFailures++;
      app.lastFailure = AppRollouts.failure(app.recent.peekFirst());
    }
    if (!inst.killExpected) {
      boolean ranLongEnough =
          inst.runningSince != null
              && !now.isBefore(inst.runningSince.plusMillis(app.spec.restart().resetAfterMillis()));
      app.consecutiveFailures = ranLongEnough ? 1 : app.consecutiveFailures + 1;
      app.restartNotBefore = now.plus(app.spec.restart().delayAfter(app.consecutiveFailures));
      LOG.log(
          Level.INFO,
          "services: {0} ended {1} ({2}); restart #{3} not before {4}",
          inst.id,
          status.state(),
          status.message(),
          app.consecutiveFailures,
          app.restartNotBefore);
    }
  }

  /** A task we do not track: after a restart, adopt it; if its app is gone, kill it. */
  private void adoptOrKill(App app, TaskStatus status, Instant now) {
    if (status.state().isTerminal()) {
      return;
    }
    long version = versionOf(status.taskId());
    if (app == null || version < 0 || app.removing) {
      LOG.log(Level.INFO, "services: killing orphan task {0}", status.taskId());
      safely(() -> link.kill(status.taskId(), null));
      return;
    }
    Instance inst = new Instance(status.taskId(), version, app.spec.healthCheck() != null, now);
    inst.agent = status.agentId();
    app.instances.put(inst.id, inst);
    update(status);
  }

  @Override
  public void agentLost(AgentId agent) {
    book.exclude(agent);
  }

  @Override
  public void agentDraining(AgentId agent, Instant deadline) {
    book.exclude(agent);
    for (App app : apps.values()) {
      boolean touched = false;
      for (Instance inst : app.instances.values()) {
        if (agent.equals(inst.agent) && inst.phase.isLive()) {
          inst.replace = true;
          touched = true;
        }
      }
      if (touched) {
        plan(app);
      }
    }
  }

  @Override
  public void tick(Instant now) {
    if (link == null) {
      return;
    }
    if (!recoveringUntil.equals(Instant.MIN) && !now.isBefore(recoveringUntil)) {
      recoveringUntil = Instant.MIN;
      newWork = true; // offers declined while recovering must come back
      apps.values().forEach(this::plan);
    }
    for (App app : apps.values()) {
      for (Instance inst : app.instances.values()) {
        if (inst.phase == InstancePhase.KILLING
            && inst.killRequestedAt != null
            && now.isAfter(inst.killRequestedAt.plus(KILL_RETRY))) {
          inst.killRequestedAt = now;
          safely(() -> link.kill(inst.id, null));
        }
      }
    }
    apps.values().forEach(this::observe);
    if (now.isAfter(nextReconcile)) {
      nextReconcile = now.plus(RECONCILE_EVERY);
      safely(() -> link.reconcile(List.of()));
    }
    updateOfferInterest(now);
  }

  // ---- decisions applied ----

  private void plan(App app) {
    if (link == null || recovering()) {
      return;
    }
    List<ServiceInstance> view = new ArrayList<>(app.instances.size());
    for (Instance inst : app.instances.values()) {
      view.add(inst.forPlanner());
    }
    for (ServiceAction action :
        ServicePlanner.plan(app.version, app.desired(), app.spec.upgrade(), view)) {
      switch (action) {
        case ServiceAction.Kill k -> killInstance(app, app.instances.get(k.taskId()), k.why());
        case ServiceAction.Launch l -> {
          for (int i = 0; i < l.count(); i++) {
            TaskId id;
            do {
              id = TaskId.of(app.spec.id() + ".v" + app.version + "." + ids.nonce());
            } while (app.instances.containsKey(id));
            app.instances.put(
                id, new Instance(id, app.version, app.spec.healthCheck() != null, clock.instant()));
            newWork = true;
          }
        }
      }
    }
    app.settled = isSettled(app);
    if (app.removing && app.instances.isEmpty()) {
      forget(app);
    } else {
      observe(app);
    }
  }

  /** Records the outcome of the app's deployment once it completes or fails. */
  private void observe(App app) {
    if (app.removing || !app.history.awaitsOutcome() || link == null) {
      return;
    }
    DeploymentHistory<AppSpec> next =
        app.history.observed(
            AppRollouts.complete(app, clock.instant()),
            app.versionFailures,
            app.lastFailure,
            clock.instant());
    if (next != app.history) {
      app.history = next;
      safely(() -> AppHistories.put(link, app.spec.id(), next));
    }
  }

  private static boolean isSettled(App app) {
    int live = 0;
    for (Instance inst : app.instances.values()) {
      if (inst.phase.isLive()) {
        if (inst.version != app.version || inst.replace) {
          return false;
        }
        live++;
      }
    }
    return live == app.desired();
  }

  private void killInstance(App app, Instance inst, String why) {
    if (inst == null || inst.phase == InstancePhase.KILLING) {
      return;
    }
    if (inst.phase == InstancePhase.PENDING) {
      app.instances.remove(inst.id);
      return;
    }
    inst.phase = InstancePhase.KILLING;
    inst.killExpected = true;
    inst.killRequestedAt = clock.instant();
    inst.message = why;
    safely(() -> link.kill(inst.id, app.spec.killGracePeriodMillis()));
  }

  private void forget(App app) {
    safely(() -> link.delete(KEY_PREFIX + app.spec.id()));
    safely(() -> AppHistories.delete(link, app.spec.id()));
    apps.remove(app.spec.id());
  }

  private void store(App app) {
    JsonNode json = Codec.JSON.mapper().valueToTree(app.stored());
    link.put(KEY_PREFIX + app.spec.id(), json);
    AppHistories.put(link, app.spec.id(), app.history);
  }

  /** Revive when instances can be placed; suppress when none wait. */
  private void updateOfferInterest(Instant now) {
    if (link == null) {
      return;
    }
    boolean want = false;
    for (App app : apps.values()) {
      if (!pending(app, false).isEmpty() && !backoffLeft(app, now).isPositive()) {
        want = true;
        break;
      }
    }
    // Revive also when work appears while not suppressed: offers declined earlier with a long
    // filter (nothing was waiting then) must come back now.
    if (want && (!Boolean.FALSE.equals(suppressed) || !wanted || newWork)) {
      LOG.log(Level.DEBUG, "services: revive (tasks wait)");
      safely(link::revive);
      suppressed = false;
    } else if (!want && !Boolean.TRUE.equals(suppressed)) {
      LOG.log(Level.DEBUG, "services: suppress (nothing waits)");
      safely(link::suppress);
      suppressed = true;
    }
    wanted = want;
    newWork = false;
  }

  private List<TaskId> pending(App app, boolean all) {
    List<TaskId> out = new ArrayList<>();
    for (Instance inst : app.instances.values()) {
      if (inst.phase == InstancePhase.PENDING && inst.version == app.version) {
        out.add(inst.id);
        if (!all) {
          break;
        }
      }
    }
    return out;
  }

  private TaskGroup group(App app, List<TaskId> pending) {
    AppSpec s = app.spec;
    return new TaskGroup(
        s.id(),
        pending,
        s.template().demand(),
        s.template().ports(),
        s.os(),
        s.constraints(),
        s.placement());
  }

  private Map<String, List<AgentId>> running() {
    Map<String, List<AgentId>> out = new HashMap<>();
    for (App app : apps.values()) {
      List<AgentId> agents = new ArrayList<>();
      for (Instance inst : app.instances.values()) {
        if (inst.phase != InstancePhase.PENDING && inst.agent != null) {
          agents.add(inst.agent);
        }
      }
      out.put(app.spec.id(), agents);
    }
    return out;
  }

  private io.strata.api.TaskInfo buildTask(Assignment a) {
    App app = apps.get(appOf(a.task()));
    return app.spec
        .template()
        .toTask(
            a.task(),
            a.resources(),
            Map.of("strata.app", app.spec.id(), "strata.version", Long.toString(app.version)));
  }

  private Duration backoffLeft(App app, Instant now) {
    return app.restartNotBefore == null || !now.isBefore(app.restartNotBefore)
        ? Duration.ZERO
        : Duration.between(now, app.restartNotBefore);
  }

  private PendingReason backoffReason(App app, Instant now) {
    return PendingReason.of(
        PendingReason.Code.BACKOFF,
        "restart delayed by backoff after "
            + app.consecutiveFailures
            + " consecutive failure(s): "
            + Math.max(1, (backoffLeft(app, now).toMillis() + 999) / 1000)
            + "s left");
  }

  private App existing(String id) {
    App app = apps.get(id);
    if (app == null || app.removing) {
      throw new NotFound("no app '" + id + "'");
    }
    return app;
  }

  private void requireConnected() {
    if (link == null) {
      throw new Unavailable("the services framework is not subscribed to the allocator yet");
    }
  }

  private void safely(Runnable call) {
    try {
      call.run();
    } catch (ApiException e) {
      LOG.log(Level.WARNING, "services: call to the allocator failed: {0}", e.getMessage());
    }
  }

  static String appOf(TaskId id) {
    int dot = id.value().indexOf('.');
    return dot < 0 ? id.value() : id.value().substring(0, dot);
  }

  static long versionOf(TaskId id) {
    String[] parts = id.value().split("\\.");
    if (parts.length != 3 || !parts[1].startsWith("v")) {
      return -1;
    }
    try {
      return Long.parseLong(parts[1].substring(1));
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
