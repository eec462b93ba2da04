package io.strata.workloads.jobs;

import io.strata.api.Reason;
import io.strata.api.TaskId;
import io.strata.api.TaskInfo;
import io.strata.api.TaskState;
import io.strata.api.TaskStatus;
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
import io.strata.workloads.framework.Effect;
import io.strata.workloads.framework.FrameworkShell;
import io.strata.workloads.framework.NotFound;
import io.strata.workloads.framework.TaskTable;
import io.strata.workloads.framework.TaskView;
import io.strata.workloads.framework.TrackedTask;
import io.strata.workloads.framework.WhyView;
import io.strata.workloads.spec.JobSpec;
import io.strata.workloads.spec.Specs;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The built-in jobs framework (like Metronome / Kubernetes Jobs and CronJobs): runs batch jobs to
 * their completions with bounded parallelism, retries failures with backoff, enforces deadlines,
 * starts scheduled runs by cron with a concurrency policy, and keeps each job's run history. The
 * policy on the {@link FrameworkShell}: run transitions come from the pure {@link RunMachine} (its
 * {@link RunStep}s become {@link Effect}s) and {@link CronPlanner}; jobs ({@code job.<id>}) and
 * runs ({@code run.<id>.<runId>}) are kept in the allocator's store, each run written before its
 * tasks launch and after each of their ends, so a restart loses nothing.
 */
public final class JobsFramework extends FrameworkShell {
  public static final String NAME = "strata-jobs";
  public static final String DEFAULT_ROLE = "jobs";
  private static final System.Logger LOG = System.getLogger(JobsFramework.class.getName());

  private final Map<String, Job> jobs = new TreeMap<>();
  private final JobStore store = new JobStore();

  public JobsFramework(String role, Clock clock) {
    super(NAME, "job", role, clock);
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
      store.putJob(link(), job);
      return "updated (runs started from now on use it)";
    }
    job = new Job(new Job.StoredJob(spec, now, now, 1, now, null));
    store.putJob(link(), job);
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
      safely(() -> store.deleteRun(link(), job, run.runId()));
    }
    store.deleteJob(link(), job);
    jobs.remove(jobId);
    tasks.drop(jobId);
  }

  /** Every job with its runs; the tasks of active runs only in {@link #jobView}. */
  public List<JobView> jobViews() {
    List<JobView> out = new ArrayList<>();
    for (Job job : jobs.values()) {
      out.add(JobView.of(job, List.of()));
    }
    return out;
  }

  public JobView jobView(String id) {
    Job job = existing(id);
    return JobView.of(job, views(tasks.of(id)));
  }

  /** Kills one task of an active run; the run counts it as failed and retries it. */
  public void kill(TaskId taskId) {
    requireConnected();
    Job job = jobs.get(TaskTable.ownerOf(taskId));
    TrackedTask t = job == null ? null : tasks.get(taskId);
    if (t == null) {
      throw new NotFound("no job task " + taskId);
    }
    if (t.phase() == InstancePhase.PENDING) {
      throw new NotFound("job task " + taskId + " has not been launched yet");
    }
    apply(List.of(new Effect.Kill(taskId, null, job.spec.killGracePeriodMillis())));
  }

  // ---- the policy ----

  @Override
  protected void load(boolean sameFramework, boolean resumed) {
    if (sameFramework) {
      return;
    }
    if (!jobs.isEmpty() && !resumed) {
      for (Job job : jobs.values()) {
        store.putJob(link(), job);
        job.runs.values().forEach(r -> store.putRun(link(), job, r));
      }
    }
    store.load(link(), jobs);
  }

  @Override
  protected WhyView why(
      String owner, TrackedTask task, Instant now, Function<TrackedTask, TaskView> view) {
    return JobWhy.of(jobs.get(owner), task, tasks.of(owner), now, view);
  }

  @Override
  protected List<TaskId> expected() {
    List<TaskId> active = new ArrayList<>();
    for (Job job : jobs.values()) {
      for (JobRun run : job.activeRuns()) {
        run.active().forEach(t -> active.add(TaskId.of(t)));
      }
    }
    return active;
  }

  /** Tasks a stored run counts as active that the allocator never reported: launch them again. */
  @Override
  protected void decide(Instant now) {
    List<Effect> effects = new ArrayList<>();
    for (Job job : jobs.values()) {
      for (JobRun run : job.activeRuns()) {
        for (String id : run.active()) {
          if (!tasks.contains(TaskId.of(id))) {
            effects.add(new Effect.Create(pending(job, id, run.runId(), now)));
          }
        }
      }
    }
    apply(effects);
  }

  @Override
  protected List<TaskGroup> ready(Instant now, Map<TaskId, List<PendingReason>> held) {
    List<TaskGroup> groups = new ArrayList<>();
    for (Job job : jobs.values()) {
      Map<String, List<TaskId>> byRun = new TreeMap<>();
      for (TrackedTask t : tasks.of(job.spec.id())) {
        if (t.phase() == InstancePhase.PENDING) {
          byRun.computeIfAbsent(t.detail(), k -> new ArrayList<>()).add(t.id());
        }
      }
      byRun.values().forEach(ids -> groups.add(job.spec.group(ids)));
    }
    return groups;
  }

  @Override
  protected TaskInfo build(Assignment a) {
    TrackedTask t = tasks.get(a.task());
    Job job = jobs.get(t.owner());
    Map<String, String> labels = Map.of("strata.job", job.spec.id(), "strata.run", t.detail());
    return job.spec.template().toTask(a.task(), a.resources(), labels);
  }

  /**
   * A task we do not track: one of an active run after a restart is adopted (or, never launched,
   * launched now); any other is killed.
   */
  @Override
  protected TrackedTask adopt(TaskStatus status, Instant now) {
    String[] parts = status.taskId().value().split("\\.");
    Job job = parts.length == 3 ? jobs.get(parts[0]) : null;
    JobRun run = job == null ? null : job.runs.get(seqOrMinus(parts[1]));
    if (run == null || !run.active().contains(status.taskId().value())) {
      killOrphan(status); // no such job, or a task of a finished run
      return null;
    }
    TrackedTask task = pending(job, status.taskId().value(), run.runId(), now);
    if (status.state().isTerminal() && status.reason() == Reason.TASK_UNKNOWN) {
      apply(List.of(new Effect.Create(task))); // never launched before the restart: launch it now
      return null;
    }
    return task.inPhase(InstancePhase.LAUNCHING);
  }

  @Override
  protected void updated(TrackedTask task, TaskStatus status, Instant now) {
    Job job = jobs.get(task.owner());
    JobRun run = job == null ? null : job.runs.get((int) task.number());
    String taskId = task.id().value();
    if (!status.state().isTerminal() || run == null || !run.active().contains(taskId)) {
      return;
    }
    boolean succeeded =
        status.state() == TaskState.FINISHED
            && (status.exitCode() == null || status.exitCode() == 0);
    JobRun after =
        RunMachine.taskEnded(
            job.spec.policy(), run, taskId, succeeded, succeeded ? null : failure(status), now);
    job.runs.put(Job.seqOf(run.runId()), after);
    store.putRun(link(), job, after);
    apply(job, RunMachine.advance(job.spec.id(), job.spec.policy(), after, now), true);
  }

  /** {@code MEMORY_LIMIT, exit 137: the message}: why a task failed, for the run's history. */
  static String failure(TaskStatus status) {
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
  protected void timers(Instant now) {
    for (Job job : List.copyOf(jobs.values())) {
      if (job.spec.schedule() != null) {
        schedule(job, now);
      }
      for (JobRun run : job.activeRuns()) {
        apply(job, RunMachine.advance(job.spec.id(), job.spec.policy(), run, now), true);
      }
    }
  }

  @Override
  protected Long killGracePeriod(String owner) {
    Job job = jobs.get(owner);
    return job == null ? null : job.spec.killGracePeriodMillis();
  }

  // Draining: batch tasks finish where they are; the allocator kills them at the deadline and they
  // are retried elsewhere. The agent just takes no new ones (the shell's default).

  // ---- decisions applied ----

  private void schedule(Job job, Instant now) {
    List<String> active = job.activeRuns().stream().map(JobRun::runId).toList();
    CronDecision decision = CronPlanner.decide(job.spec.schedule(), job.lastScheduled, now, active);
    switch (decision) {
      case CronDecision.NotDue n -> {}
      case CronDecision.Skip s -> {
        job.lastScheduled = s.scheduledFor();
        job.lastSkip = s.scheduledFor() + ": " + s.why();
        store.putJob(link(), job);
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
    store.putJob(link(), job);
    JobRun run = JobRun.start(runId, trigger, clock.instant(), scheduledFor);
    job.runs.put(Job.seqOf(runId), run);
    store.putRun(link(), job, run);
    apply(job, RunMachine.advance(job.spec.id(), job.spec.policy(), run, clock.instant()), true);
    return runId;
  }

  /** Applies a run step: its launches and kills as effects; stores the run, trims the history. */
  private void apply(Job job, RunStep step, boolean keep) {
    Instant now = clock.instant();
    List<Effect> effects = new ArrayList<>();
    for (String id : step.launch()) {
      effects.add(new Effect.Create(pending(job, id, step.run().runId(), now)));
    }
    for (String id : step.kill()) {
      effects.add(new Effect.Kill(TaskId.of(id), null, job.spec.killGracePeriodMillis()));
    }
    apply(effects);
    JobRun before = job.runs.get(Job.seqOf(step.run().runId()));
    if (keep && !step.run().equals(before)) {
      job.runs.put(Job.seqOf(step.run().runId()), step.run());
      store.putRun(link(), job, step.run());
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
      safely(() -> store.deleteRun(link(), job, old.runId()));
    }
  }

  private static TrackedTask pending(Job job, String id, String runId, Instant now) {
    return TrackedTask.pending(TaskId.of(id), job.spec.id(), runId, false, now);
  }

  private Job existing(String id) {
    Job job = jobs.get(id);
    if (job == null) {
      throw new NotFound("no job '" + id + "'");
    }
    return job;
  }

  private static int seqOrMinus(String runId) {
    try {
      return runId.startsWith("r") ? Integer.parseInt(runId.substring(1)) : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
