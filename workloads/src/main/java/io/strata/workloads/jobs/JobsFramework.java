package io.strata.workloads.jobs;

import io.strata.api.AgentId;
import io.strata.api.FrameworkId;
import io.strata.api.FrameworkInfo;
import io.strata.api.Offer;
import io.strata.api.OfferId;
import io.strata.api.Reason;
import io.strata.api.TaskId;
import io.strata.api.TaskInfo;
import io.strata.api.TaskState;
import io.strata.api.TaskStatus;
import io.strata.api.client.ApiException;
import io.strata.workloads.core.Assignment;
import io.strata.workloads.core.CronDecision;
import io.strata.workloads.core.CronPlanner;
import io.strata.workloads.core.InstancePhase;
import io.strata.workloads.core.JobRun;
import io.strata.workloads.core.PendingReason;
import io.strata.workloads.core.RolloutPlan;
import io.strata.workloads.core.RunMachine;
import io.strata.workloads.core.RunStatus;
import io.strata.workloads.core.RunStep;
import io.strata.workloads.core.TaskGroup;
import io.strata.workloads.framework.FrameworkHandler;
import io.strata.workloads.framework.LaunchRound;
import io.strata.workloads.framework.NotFound;
import io.strata.workloads.framework.OfferedAgents;
import io.strata.workloads.framework.SchedulerLink;
import io.strata.workloads.framework.TaskView;
import io.strata.workloads.framework.Unavailable;
import io.strata.workloads.framework.WhyView;
import io.strata.workloads.spec.JobSpec;
import io.strata.workloads.spec.Specs;
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
import java.util.TreeMap;

/**
 * The built-in jobs framework (like Metronome / Kubernetes Jobs and CronJobs): runs batch jobs to
 * their completions with bounded parallelism, retries failures with backoff, enforces deadlines,
 * starts scheduled runs by cron with a concurrency policy, and keeps each job's run history. Run
 * transitions come from {@link RunMachine} and {@link CronPlanner}; this class applies them and
 * keeps jobs ({@code job.<id>}) and runs ({@code run.<id>.<runId>}) in the allocator's store, each
 * run written before its tasks launch and after each of their ends, so a restart loses nothing.
 */
public final class JobsFramework implements FrameworkHandler {
  public static final String NAME = "strata-jobs";
  public static final String DEFAULT_ROLE = "jobs";
  private static final System.Logger LOG = System.getLogger(JobsFramework.class.getName());
  private static final Duration RECONCILE_GRACE = Duration.ofSeconds(3);
  private static final Duration KILL_RETRY = Duration.ofSeconds(30);

  private final String role;
  private final Clock clock;
  private final OfferedAgents book = new OfferedAgents();
  private final Map<String, Job> jobs = new TreeMap<>();
  private final JobStore store = new JobStore();
  private SchedulerLink link;
  private FrameworkId frameworkId;

  /** Whether we asked the allocator to stop offers; null: unknown (just subscribed). */
  private Boolean suppressed;

  /** Whether tasks were ready to place at the last check, and whether new ones came since. */
  private boolean wanted;

  private boolean newWork;

  private Instant recoveringUntil = Instant.MIN;

  public JobsFramework(String role, Clock clock) {
    this.role = role;
    this.clock = clock;
  }

  @Override
  public FrameworkInfo info() {
    return new FrameworkInfo(null, NAME, null, Set.of(role), null, null, null);
  }

  // ---- operations ----

  /** Creates or updates a job; a new job without a schedule starts its first run at once. */
  public String submit(JobSpec spec) {
    requireConnected();
    Instant now = clock.instant();
    Job job = jobs.get(spec.id());
    if (job != null) {
      if (job.spec.equals(spec)) {
        return "unchanged";
      }
      job.spec = spec;
      job.updatedAt = now;
      store.putJob(link, job);
      return "updated (runs started from now on use it)";
    }
    job = new Job(spec, now, now, 1, now);
    store.putJob(link, job);
    jobs.put(spec.id(), job);
    if (spec.schedule() == null) {
      String runId = startRun(job, "submit", null);
      updateOfferInterest();
      return "created; run " + runId + " started";
    }
    return "created; scheduled '" + spec.schedule().cron() + "'";
  }

  /** What {@link #submit} would do with {@code spec}, doing nothing. */
  public RolloutPlan dryRun(JobSpec spec) {
    requireConnected();
    Job job = jobs.get(spec.id());
    return RolloutPlan.forJob(
        spec.id(),
        job == null ? null : Specs.tree(job.spec),
        Specs.tree(spec),
        spec.schedule() == null ? null : spec.schedule().cron(),
        spec.completions(),
        spec.parallelism(),
        job == null ? 0 : job.activeRuns().size());
  }

  /** Starts a run now, whatever the schedule says. Returns its id. */
  public String start(String jobId) {
    requireConnected();
    String runId = startRun(existing(jobId), "manual", null);
    updateOfferInterest();
    return runId;
  }

  /** Stops the job's active runs, kills their tasks and forgets the job and its history. */
  public void remove(String jobId) {
    requireConnected();
    Job job = existing(jobId);
    for (JobRun run : job.activeRuns()) {
      apply(job, RunMachine.stop(run, clock.instant(), "the job was removed"), false);
    }
    for (JobRun run : job.runs.values()) {
      safely(() -> store.deleteRun(link, job, run.runId()));
    }
    store.deleteJob(link, job);
    jobs.remove(jobId);
  }

  /** Every job with its runs; the tasks of active runs only in {@link #jobView}. */
  public List<JobView> jobViews() {
    List<JobView> out = new ArrayList<>();
    for (Job job : jobs.values()) {
      JobView v = JobView.of(job);
      out.add(
          new JobView(
              v.id(),
              v.schedule(),
              v.nextRunAt(),
              v.lastSkip(),
              v.activeRuns(),
              v.createdAt(),
              v.updatedAt(),
              v.spec(),
              v.runs(),
              List.of()));
    }
    return out;
  }

  public JobView jobView(String id) {
    Job job = existing(id);
    return withFreshReasons(JobView.of(job), job, explain());
  }

  private static JobView withFreshReasons(
      JobView v, Job job, Map<TaskId, List<PendingReason>> fresh) {
    List<TaskView> tasks = new ArrayList<>();
    job.tasks.values().forEach(t -> tasks.add(JobWhy.withReasons(t, job, fresh)));
    return new JobView(
        v.id(),
        v.schedule(),
        v.nextRunAt(),
        v.lastSkip(),
        v.activeRuns(),
        v.createdAt(),
        v.updatedAt(),
        v.spec(),
        v.runs(),
        tasks);
  }

  /** The tasks of every active run, with the reasons pending ones wait. */
  public List<TaskView> tasks() {
    Map<TaskId, List<PendingReason>> fresh = explain();
    List<TaskView> out = new ArrayList<>();
    for (Job job : jobs.values()) {
      job.tasks.values().forEach(t -> out.add(JobWhy.withReasons(t, job, fresh)));
    }
    return out;
  }

  /** Why a job or one of its tasks is not done; empty if the id is not ours. */
  public Optional<WhyView> why(String id) {
    Job job = jobs.get(id);
    if (job != null) {
      return Optional.of(JobWhy.of(job, clock.instant(), explain()));
    }
    String[] parts = id.split("\\.");
    Job owner = parts.length == 3 ? jobs.get(parts[0]) : null;
    JobTask t = owner == null ? null : owner.tasks.get(id);
    return t == null ? Optional.empty() : Optional.of(JobWhy.ofTask(owner, t, explain()));
  }

  /** Kills one task of an active run; the run counts it as failed and retries it. */
  public void kill(TaskId taskId) {
    requireConnected();
    String[] parts = taskId.value().split("\\.");
    Job job = parts.length == 3 ? jobs.get(parts[0]) : null;
    JobTask t = job == null ? null : job.tasks.get(taskId.value());
    if (t == null) {
      throw new NotFound("no job task " + taskId);
    }
    if (t.phase == InstancePhase.PENDING) {
      throw new NotFound("job task " + taskId + " has not been launched yet");
    }
    t.phase = InstancePhase.KILLING;
    t.killRequestedAt = clock.instant();
    safely(() -> link.kill(taskId, job.spec.killGracePeriodMillis()));
  }

  /** Reasons for pending tasks, refreshed against what the framework knows now. */
  public Map<TaskId, List<PendingReason>> explain() {
    Map<TaskId, List<PendingReason>> out = new HashMap<>();
    List<TaskGroup> groups = pendingGroups(out, clock.instant());
    out.putAll(LaunchRound.explain(book, groups, running()));
    return out;
  }

  public boolean recovering() {
    return clock.instant().isBefore(recoveringUntil);
  }

  // ---- allocator events ----

  @Override
  public void subscribed(FrameworkId id, SchedulerLink newLink, boolean resumed) {
    link = newLink;
    suppressed = null;
    boolean sameFramework = id.equals(frameworkId);
    frameworkId = id;
    if (!sameFramework) {
      if (!jobs.isEmpty() && !resumed) {
        for (Job job : jobs.values()) {
          store.putJob(link, job);
          job.runs.values().forEach(r -> store.putRun(link, job, r));
        }
      }
      store.load(link, jobs);
    }
    if (!resumed) {
      recoveringUntil = Instant.MIN;
      relaunchUnreported(clock.instant()); // a new framework id: the old tasks are not ours
      return;
    }
    recoveringUntil = clock.instant().plus(RECONCILE_GRACE);
    List<TaskId> active = new ArrayList<>();
    for (Job job : jobs.values()) {
      for (JobRun run : job.activeRuns()) {
        run.active().forEach(t -> active.add(TaskId.of(t)));
      }
    }
    if (!active.isEmpty()) {
      link.reconcile(active);
    }
    link.reconcile(List.of());
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
    List<TaskGroup> groups = pendingGroups(new HashMap<>(), now);
    LaunchRound.Result result =
        LaunchRound.run(link, book, offers, groups, running(), this::buildTask);
    for (Job job : jobs.values()) {
      for (JobTask t : job.tasks.values()) {
        if (t.phase != InstancePhase.PENDING) {
          continue;
        }
        TaskId id = TaskId.of(t.id);
        Assignment a = result.launched().get(id);
        if (a != null) {
          t.phase = InstancePhase.LAUNCHING;
          t.state = TaskState.STAGING.name();
          t.agent = a.agent();
          t.hostname = book.agent(a.agent()).map(f -> f.hostname()).orElse(null);
          t.resources = a.resources();
          t.since = now;
          t.reasons = List.of();
        } else if (result.refused().containsKey(id)) {
          t.reasons =
              List.of(
                  PendingReason.of(
                      PendingReason.Code.WAITING, "launch refused: " + result.refused().get(id)));
        } else if (result.unplaced().containsKey(id)) {
          t.reasons = result.unplaced().get(id);
        }
      }
    }
    updateOfferInterest();
  }

  @Override
  public void rescinded(OfferId offer) {
    // Offers are answered as soon as they arrive; nothing is held.
  }

  @Override
  public void update(TaskStatus status) {
    Instant now = clock.instant();
    String[] parts = status.taskId().value().split("\\.");
    Job job = parts.length == 3 ? jobs.get(parts[0]) : null;
    if (job == null) {
      if (!status.state().isTerminal()) {
        LOG.log(Level.INFO, "jobs: killing orphan task {0}", status.taskId());
        safely(() -> link.kill(status.taskId(), null));
      }
      return;
    }
    String taskId = status.taskId().value();
    JobRun run = job.runs.get(seqOrMinus(parts[1]));
    JobTask task = job.tasks.get(taskId);
    boolean inRun = run != null && run.active().contains(taskId);
    if (task == null) {
      if (!inRun) {
        if (!status.state().isTerminal()) {
          safely(() -> link.kill(status.taskId(), null)); // a task of a finished run
        }
        return;
      }
      task = new JobTask(taskId, run.runId(), now);
      task.phase = InstancePhase.LAUNCHING;
      job.tasks.put(taskId, task);
      if (status.state().isTerminal() && status.reason() == Reason.TASK_UNKNOWN) {
        task.phase = InstancePhase.PENDING; // never launched before the restart: launch it now
        newWork = true;
        return;
      }
    } else if (task.phase == InstancePhase.PENDING && status.reason() == Reason.TASK_UNKNOWN) {
      return;
    }
    if (!status.state().name().equals(task.state)) {
      task.since = now;
    }
    task.state = status.state().name();
    task.message = status.message();
    if (status.agentId() != null) {
      task.agent = status.agentId();
      JobTask t = task;
      book.agent(status.agentId()).ifPresent(f -> t.hostname = f.hostname());
    }
    if (!status.state().isTerminal()) {
      if (task.phase != InstancePhase.KILLING) {
        task.phase =
            switch (status.state()) {
              case RUNNING -> InstancePhase.RUNNING;
              case UNREACHABLE -> InstancePhase.UNREACHABLE;
              default -> InstancePhase.LAUNCHING;
            };
      }
      return;
    }
    job.tasks.remove(taskId);
    newWork = true; // its resources are free: waiting tasks may fit now
    if (inRun) {
      boolean succeeded =
          status.state() == TaskState.FINISHED
              && (status.exitCode() == null || status.exitCode() == 0);
      JobRun after =
          RunMachine.taskEnded(
              job.spec.policy(), run, taskId, succeeded, succeeded ? null : failure(status), now);
      job.runs.put(Job.seqOf(run.runId()), after);
      store.putRun(link, job, after);
      apply(job, RunMachine.advance(job.spec.id(), job.spec.policy(), after, now), true);
    }
  }

  /** {@code MEMORY_LIMIT, exit 137: the message}: why a task failed, for the run's history. */
  static String failure(io.strata.api.TaskStatus status) {
    StringBuilder b =
        new StringBuilder(status.reason() == null ? status.state().name() : status.reason().name());
    if (status.exitCode() != null) {
      b.append(", exit ").append(status.exitCode());
    }
    if (status.message() != null && !status.message().isBlank()) {
      String m = status.message().strip();
      b.append(": ").append(m.length() > 200 ? m.substring(0, 200) + "..." : m);
    }
    return b.toString();
  }

  @Override
  public void agentLost(AgentId agent) {
    book.exclude(agent);
  }

  @Override
  public void agentDraining(AgentId agent, Instant deadline) {
    // Batch tasks finish where they are; the allocator kills them at the deadline and they are
    // retried elsewhere. The agent just takes no new ones.
    book.exclude(agent);
  }

  @Override
  public void tick(Instant now) {
    if (link == null) {
      return;
    }
    if (recovering()) {
      return;
    }
    if (!recoveringUntil.equals(Instant.MIN)) {
      recoveringUntil = Instant.MIN;
      relaunchUnreported(now);
      newWork = true; // offers declined while recovering must come back
    }
    for (Job job : List.copyOf(jobs.values())) {
      for (JobTask t : job.tasks.values()) {
        if (t.phase == InstancePhase.KILLING
            && t.killRequestedAt != null
            && now.isAfter(t.killRequestedAt.plus(KILL_RETRY))) {
          t.killRequestedAt = now; // no terminal update yet: the kill may have been lost
          safely(() -> link.kill(TaskId.of(t.id), job.spec.killGracePeriodMillis()));
        }
      }
      if (job.spec.schedule() != null) {
        schedule(job, now);
      }
      for (JobRun run : job.activeRuns()) {
        apply(job, RunMachine.advance(job.spec.id(), job.spec.policy(), run, now), true);
      }
    }
    updateOfferInterest();
  }

  // ---- decisions applied ----

  private void schedule(Job job, Instant now) {
    List<String> active = job.activeRuns().stream().map(JobRun::runId).toList();
    CronDecision decision = CronPlanner.decide(job.spec.schedule(), job.lastScheduled, now, active);
    switch (decision) {
      case CronDecision.NotDue n -> {}
      case CronDecision.Skip s -> {
        job.lastScheduled = s.scheduledFor();
        job.lastSkip = s.scheduledFor() + ": " + s.why();
        store.putJob(link, job);
      }
      case CronDecision.Start s -> {
        for (String runId : s.replace()) {
          JobRun old = job.runs.get(Job.seqOf(runId));
          apply(job, RunMachine.stop(old, now, "replaced by a newer scheduled run"), true);
        }
        job.lastScheduled = s.scheduledFor();
        startRun(job, "schedule", s.scheduledFor());
      }
    }
  }

  private String startRun(Job job, String trigger, Instant scheduledFor) {
    String runId = "r" + job.nextRunSeq++;
    store.putJob(link, job);
    JobRun run = JobRun.start(runId, trigger, clock.instant(), scheduledFor);
    job.runs.put(Job.seqOf(runId), run);
    store.putRun(link, job, run);
    apply(job, RunMachine.advance(job.spec.id(), job.spec.policy(), run, clock.instant()), true);
    return runId;
  }

  /** Applies a run step: creates pending tasks, kills, stores the run, trims the history. */
  private void apply(Job job, RunStep step, boolean keep) {
    Instant now = clock.instant();
    for (String id : step.launch()) {
      job.tasks.put(id, new JobTask(id, step.run().runId(), now));
      newWork = true;
    }
    for (String id : step.kill()) {
      JobTask t = job.tasks.get(id);
      if (t == null || t.phase == InstancePhase.PENDING) {
        job.tasks.remove(id);
      } else if (t.phase != InstancePhase.KILLING) {
        t.phase = InstancePhase.KILLING;
        t.killRequestedAt = now;
        safely(() -> link.kill(TaskId.of(id), job.spec.killGracePeriodMillis()));
      }
    }
    JobRun before = job.runs.get(Job.seqOf(step.run().runId()));
    if (keep && !step.run().equals(before)) {
      job.runs.put(Job.seqOf(step.run().runId()), step.run());
      store.putRun(link, job, step.run());
      if (step.run().status().isFinished()) {
        LOG.log(
            Level.INFO,
            "jobs: {0} run {1} {2}: {3}",
            job.spec.id(),
            step.run().runId(),
            step.run().status(),
            step.run().message());
        trimHistory(job);
      }
    }
  }

  private void trimHistory(Job job) {
    List<JobRun> finished = new ArrayList<>();
    for (JobRun r : job.runs.values()) {
      if (r.status() != RunStatus.ACTIVE) {
        finished.add(r);
      }
    }
    for (int i = 0; i < finished.size() - job.spec.historyLimit(); i++) {
      JobRun old = finished.get(i);
      job.runs.remove(Job.seqOf(old.runId()));
      safely(() -> store.deleteRun(link, job, old.runId()));
    }
  }

  /** After a restart: tasks a stored run counts as active that the allocator never reported. */
  private void relaunchUnreported(Instant now) {
    for (Job job : jobs.values()) {
      for (JobRun run : job.activeRuns()) {
        for (String id : run.active()) {
          if (!job.tasks.containsKey(id)) {
            job.tasks.put(id, new JobTask(id, run.runId(), now));
            newWork = true;
          }
        }
      }
    }
  }

  private List<TaskGroup> pendingGroups(Map<TaskId, List<PendingReason>> waiting, Instant now) {
    List<TaskGroup> groups = new ArrayList<>();
    for (Job job : jobs.values()) {
      Map<String, List<TaskId>> byRun = new TreeMap<>();
      for (JobTask t : job.tasks.values()) {
        if (t.phase == InstancePhase.PENDING) {
          byRun.computeIfAbsent(t.runId, k -> new ArrayList<>()).add(TaskId.of(t.id));
        }
      }
      byRun.forEach(
          (runId, ids) ->
              groups.add(
                  new TaskGroup(
                      job.spec.id(),
                      ids,
                      job.spec.template().demand(),
                      job.spec.template().ports(),
                      job.spec.os(),
                      job.spec.constraints(),
                      job.spec.placement())));
    }
    return groups;
  }

  private Map<String, List<AgentId>> running() {
    Map<String, List<AgentId>> out = new HashMap<>();
    for (Job job : jobs.values()) {
      List<AgentId> agents = new ArrayList<>();
      for (JobTask t : job.tasks.values()) {
        if (t.phase != InstancePhase.PENDING && t.agent != null) {
          agents.add(t.agent);
        }
      }
      out.put(job.spec.id(), agents);
    }
    return out;
  }

  private TaskInfo buildTask(Assignment a) {
    String[] parts = a.task().value().split("\\.");
    Job job = jobs.get(parts[0]);
    return job.spec
        .template()
        .toTask(
            a.task(), a.resources(), Map.of("strata.job", job.spec.id(), "strata.run", parts[1]));
  }

  private void updateOfferInterest() {
    if (link == null) {
      return;
    }
    boolean want = false;
    for (Job job : jobs.values()) {
      for (JobTask t : job.tasks.values()) {
        if (t.phase == InstancePhase.PENDING) {
          want = true;
          break;
        }
      }
    }
    // Revive also when work appears while not suppressed: offers declined earlier with a long
    // filter (nothing was waiting then) must come back now.
    if (want && (!Boolean.FALSE.equals(suppressed) || !wanted || newWork)) {
      LOG.log(Level.DEBUG, "jobs: revive (tasks wait)");
      safely(link::revive);
      suppressed = false;
    } else if (!want && !Boolean.TRUE.equals(suppressed)) {
      LOG.log(Level.DEBUG, "jobs: suppress (nothing waits)");
      safely(link::suppress);
      suppressed = true;
    }
    wanted = want;
    newWork = false;
  }

  private Job existing(String id) {
    Job job = jobs.get(id);
    if (job == null) {
      throw new NotFound("no job '" + id + "'");
    }
    return job;
  }

  private void requireConnected() {
    if (link == null) {
      throw new Unavailable("the jobs framework is not subscribed to the allocator yet");
    }
  }

  private void safely(Runnable call) {
    try {
      call.run();
    } catch (ApiException e) {
      LOG.log(Level.WARNING, "jobs: call to the allocator failed: {0}", e.getMessage());
    }
  }

  private static int seqOrMinus(String runId) {
    try {
      return runId.startsWith("r") ? Integer.parseInt(runId.substring(1)) : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
