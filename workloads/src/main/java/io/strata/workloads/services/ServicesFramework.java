package io.strata.workloads.services;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.api.AgentId;
import io.strata.api.TaskId;
import io.strata.api.TaskInfo;
import io.strata.api.TaskStatus;
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
import io.strata.workloads.framework.Effect;
import io.strata.workloads.framework.FrameworkShell;
import io.strata.workloads.framework.NotFound;
import io.strata.workloads.framework.TaskIds;
import io.strata.workloads.framework.TaskTable;
import io.strata.workloads.framework.TaskView;
import io.strata.workloads.framework.TrackedTask;
import io.strata.workloads.framework.WhyView;
import io.strata.workloads.spec.AppSpec;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The built-in services framework (like Marathon): keeps each app's instances running, restarts
 * them with exponential backoff, rolls them to new versions, and explains why any instance waits.
 * The policy on the {@link FrameworkShell}: decisions come from the pure {@link ServicePlanner} (as
 * {@link Effect}s) and {@link io.strata.workloads.core.Placement}; specs are kept in the
 * allocator's framework store ({@code app.<id>}).
 *
 * <p>Task ids are {@code <app>.v<version>.<nonce>}, so after a restart the tasks the allocator
 * reports (RECONCILE) are matched to their apps and versions without storing instances.
 */
public final class ServicesFramework extends FrameworkShell {
  public static final String NAME = "strata-services";
  public static final String DEFAULT_ROLE = "services";
  private static final System.Logger LOG = System.getLogger(ServicesFramework.class.getName());
  private static final String KEY_PREFIX = "app.";

  private final TaskIds ids;
  private final Map<String, App> apps = new TreeMap<>();

  public ServicesFramework(String role, Clock clock, TaskIds ids) {
    super(NAME, "service", role, clock);
    this.ids = ids;
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
   * @throws io.strata.api.json.ValidationException if there is no earlier version to roll back to
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
      app = app.respecified(spec, app.version + 1, now);
      app.history = v.history();
      change = v.change();
    } else if (!spec.instances().equals(app.spec.instances())) {
      change = "scaled from " + app.spec.instances() + " to " + spec.instances();
      app = app.respecified(spec, app.version, now);
      app.history = app.history.respecified(spec);
    } else if (!spec.equals(app.spec)) {
      change = "updated in place (no new version)";
      app = app.respecified(spec, app.version, now);
      app.history = app.history.respecified(spec);
    } else {
      return "unchanged";
    }
    store(app);
    apps.put(spec.id(), app);
    plan(app);
    updateOfferInterest();
    return change;
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
    updateOfferInterest();
  }

  /** Kills one instance; the app replaces it (without counting a failure). */
  public void kill(TaskId taskId) {
    requireConnected();
    App app = apps.get(TaskTable.ownerOf(taskId));
    if (app == null || !tasks.contains(taskId)) {
      throw new NotFound("no service task " + taskId);
    }
    apply(List.of(new Effect.Kill(taskId, "killed by a user", app.spec.killGracePeriodMillis())));
    plan(app);
    updateOfferInterest();
  }

  /** Every app with its counts; instances only in {@link #appView} (an app may have 100,000). */
  public List<AppView> appViews() {
    List<AppView> out = new ArrayList<>();
    for (App app : apps.values()) {
      out.add(AppView.of(app, tasks.of(app.spec.id()), List.of()));
    }
    return out;
  }

  public AppView appView(String id) {
    App app = existing(id);
    return AppView.of(app, tasks.of(id), views(tasks.of(id)));
  }

  // ---- the policy ----

  @Override
  protected void load(boolean sameFramework, boolean resumed) {
    if (!apps.isEmpty() && sameFramework) {
      return;
    }
    if (!sameFramework && !apps.isEmpty() && !resumed) {
      apps.values().forEach(this::store); // a new framework id: carry the specs over
    }
    for (String key : link().keys()) {
      if (key.startsWith(KEY_PREFIX)) {
        link()
            .get(key)
            .ifPresent(
                json -> {
                  App.StoredApp s = Codec.JSON.mapper().convertValue(json, App.StoredApp.class);
                  apps.computeIfAbsent(s.spec().id(), k -> loaded(s));
                });
      }
    }
    LOG.log(Level.INFO, "services: {0} apps loaded from the store", apps.size());
  }

  /** An app read from the store, with its history (begun now if none was kept). */
  private App loaded(App.StoredApp s) {
    App app = new App(s.spec(), s.version(), s.createdAt(), s.updatedAt(), s.removing());
    app.history = AppRollouts.loadedHistory(app, AppHistories.get(link(), s.spec().id()));
    return app;
  }

  @Override
  protected WhyView why(
      String owner, TrackedTask task, Instant now, Function<TrackedTask, TaskView> view) {
    return AppWhy.of(apps.get(owner), task, tasks.of(owner), now, view);
  }

  @Override
  protected void decide(Instant now) {
    List.copyOf(apps.values()).forEach(this::plan);
  }

  @Override
  protected List<TaskGroup> ready(Instant now, Map<TaskId, List<PendingReason>> held) {
    List<TaskGroup> groups = new ArrayList<>();
    for (App app : apps.values()) {
      List<TaskId> pending = new ArrayList<>();
      for (TrackedTask t : tasks.of(app.spec.id())) {
        if (t.phase() == InstancePhase.PENDING && t.number() == app.version) {
          pending.add(t.id());
        }
      }
      if (pending.isEmpty()) {
        continue;
      }
      Duration left = app.backoffLeft(now);
      if (left.isPositive()) {
        List<PendingReason> reasons = List.of(app.backoffReason(left));
        pending.forEach(id -> held.put(id, reasons));
      } else {
        groups.add(app.spec.group(pending));
      }
    }
    return groups;
  }

  @Override
  protected TaskInfo build(Assignment a) {
    App app = apps.get(TaskTable.ownerOf(a.task()));
    Map<String, String> labels =
        Map.of("strata.app", app.spec.id(), "strata.version", Long.toString(app.version));
    return app.spec.template().toTask(a.task(), a.resources(), labels);
  }

  /** A task we do not track: after a restart, adopt it; if its app is gone, kill it. */
  @Override
  protected TrackedTask adopt(TaskStatus status, Instant now) {
    if (status.state().isTerminal()) {
      return null;
    }
    App app = apps.get(TaskTable.ownerOf(status.taskId()));
    long version = versionOf(status.taskId());
    if (app == null || version < 0 || app.removing) {
      killOrphan(status);
      return null;
    }
    return TrackedTask.pending(
            status.taskId(), app.spec.id(), "v" + version, app.spec.healthCheck() != null, now)
        .placed(status.agentId(), null, null);
  }

  @Override
  protected void updated(TrackedTask task, TaskStatus status, Instant now) {
    App app = apps.get(task.owner());
    if (app == null) {
      return;
    }
    boolean ended = status.state().isTerminal();
    if (ended) {
      app.ended(task, status, now);
    }
    if (app.removing) {
      if (tasks.count(app.spec.id()) == 0) {
        forget(app);
      }
    } else if ((ended && !task.killExpected()) || !app.settled) {
      plan(app);
    }
  }

  @Override
  protected void timers(Instant now) {
    apps.values().forEach(this::observe);
  }

  @Override
  protected Long killGracePeriod(String owner) {
    App app = apps.get(owner);
    return app == null ? null : app.spec.killGracePeriodMillis();
  }

  @Override
  protected void draining(AgentId agent) {
    for (App app : List.copyOf(apps.values())) {
      boolean touched = false;
      for (TrackedTask t : tasks.copyOf(app.spec.id())) {
        if (agent.equals(t.agent()) && t.phase().isLive()) {
          tasks.put(t.replacing());
          touched = true;
        }
      }
      if (touched) {
        plan(app);
      }
    }
  }

  // ---- decisions applied ----

  private void plan(App app) {
    if (link() == null || recovering()) {
      return;
    }
    String appId = app.spec.id();
    List<ServiceInstance> view = new ArrayList<>(tasks.count(appId));
    for (TrackedTask t : tasks.of(appId)) {
      view.add(new ServiceInstance(t.id(), t.number(), t.phase(), t.isHealthy(), t.replace()));
    }
    List<Effect> effects = new ArrayList<>();
    Set<TaskId> fresh = new HashSet<>();
    for (ServiceAction action :
        ServicePlanner.plan(app.version, app.desired(), app.spec.upgrade(), view)) {
      switch (action) {
        case ServiceAction.Kill k ->
            effects.add(new Effect.Kill(k.taskId(), k.why(), app.spec.killGracePeriodMillis()));
        case ServiceAction.Launch l -> {
          for (int i = 0; i < l.count(); i++) {
            TaskId id;
            do {
              id = TaskId.of(appId + ".v" + app.version + "." + ids.nonce());
            } while (tasks.contains(id) || !fresh.add(id));
            boolean checked = app.spec.healthCheck() != null;
            effects.add(
                new Effect.Create(
                    TrackedTask.pending(id, appId, "v" + app.version, checked, clock.instant())));
          }
        }
      }
    }
    apply(effects);
    app.settled = app.isSettled(tasks.of(appId));
    if (app.removing && tasks.count(appId) == 0) {
      forget(app);
    } else {
      observe(app);
    }
  }

  /** Records the outcome of the app's deployment once it completes or fails. */
  private void observe(App app) {
    if (app.removing || !app.history.awaitsOutcome() || link() == null) {
      return;
    }
    Instant now = clock.instant();
    DeploymentHistory<AppSpec> next =
        app.history.observed(
            AppRollouts.complete(app, tasks.of(app.spec.id()), now),
            app.versionFailures,
            app.lastFailure,
            now);
    if (next != app.history) {
      app.history = next;
      safely(() -> AppHistories.put(link(), app.spec.id(), next));
    }
  }

  private void forget(App app) {
    safely(() -> link().delete(KEY_PREFIX + app.spec.id()));
    safely(() -> AppHistories.delete(link(), app.spec.id()));
    apps.remove(app.spec.id());
    tasks.drop(app.spec.id());
  }

  private void store(App app) {
    JsonNode json = Codec.JSON.mapper().valueToTree(app.stored());
    link().put(KEY_PREFIX + app.spec.id(), json);
    AppHistories.put(link(), app.spec.id(), app.history);
  }

  private App existing(String id) {
    App app = apps.get(id);
    if (app == null || app.removing) {
      throw new NotFound("no app '" + id + "'");
    }
    return app;
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
