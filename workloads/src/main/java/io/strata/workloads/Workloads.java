package io.strata.workloads;

import io.strata.api.TaskId;
import io.strata.api.client.AllocatorAddress;
import io.strata.api.json.ValidationException;
import io.strata.workloads.core.RolloutPlan;
import io.strata.workloads.framework.FrameworkRunner;
import io.strata.workloads.framework.NotFound;
import io.strata.workloads.framework.TaskIds;
import io.strata.workloads.framework.TaskView;
import io.strata.workloads.framework.Unavailable;
import io.strata.workloads.framework.WhyView;
import io.strata.workloads.jobs.JobView;
import io.strata.workloads.jobs.JobsFramework;
import io.strata.workloads.services.AppHistoryView;
import io.strata.workloads.services.AppView;
import io.strata.workloads.services.ServicesFramework;
import io.strata.workloads.spec.AppSpec;
import io.strata.workloads.spec.JobSpec;
import io.strata.workloads.spec.WorkloadSpec;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The two built-in frameworks, services and jobs, each subscribed to the allocator in its own role
 * like any third-party framework, and the operations the CLI and the HTTP API use. Every operation
 * runs on its framework's event loop and waits for the answer.
 */
public final class Workloads implements AutoCloseable {
  /**
   * How long an operation waits while its framework's loop finishes nothing at all: the loop is
   * then stuck (or its framework gone). A loop that works through a long queue (a removal of
   * 100,000 instances and their updates) is waited for as long as it moves.
   */
  static final Duration STALL_TIMEOUT = Duration.ofSeconds(60);

  /**
   * @param allocator the allocators: one URL (loopback when run in its process), a list, or {@code
   *     zk://} ({@link AllocatorAddress})
   * @param token a principal's token allowed in both roles
   * @param stateDir where the frameworks keep their ids between runs (null: not kept)
   */
  public record Config(
      AllocatorAddress allocator,
      String token,
      Path stateDir,
      String servicesRole,
      String jobsRole,
      Clock clock) {
    public Config {
      servicesRole = servicesRole == null ? ServicesFramework.DEFAULT_ROLE : servicesRole;
      jobsRole = jobsRole == null ? JobsFramework.DEFAULT_ROLE : jobsRole;
      clock = clock == null ? Clock.systemUTC() : clock;
    }

    public static Config of(URI allocator, String token, Path stateDir) {
      return of(AllocatorAddress.of(allocator), token, stateDir);
    }

    public static Config of(AllocatorAddress allocator, String token, Path stateDir) {
      return new Config(allocator, token, stateDir, null, null, null);
    }
  }

  private final ServicesFramework services;
  private final JobsFramework jobs;
  private final FrameworkRunner servicesRunner;
  private final FrameworkRunner jobsRunner;

  private Workloads(Config config) {
    this.services =
        new ServicesFramework(
            config.servicesRole(),
            config.clock(),
            new TaskIds(new SplittableRandom(new SecureRandom().nextLong())));
    this.jobs = new JobsFramework(config.jobsRole(), config.clock());
    Path dir = config.stateDir();
    this.servicesRunner =
        new FrameworkRunner(
            config.allocator(),
            config.token(),
            services,
            config.clock(),
            dir == null ? null : frameworkIdFile(dir, ServicesFramework.NAME));
    this.jobsRunner =
        new FrameworkRunner(
            config.allocator(),
            config.token(),
            jobs,
            config.clock(),
            dir == null ? null : frameworkIdFile(dir, JobsFramework.NAME));
  }

  /** Where the framework named {@code name} keeps its id under {@code stateDir}. */
  static Path frameworkIdFile(Path stateDir, String name) {
    return stateDir.resolve(
        name.equals(ServicesFramework.NAME) ? "services.framework-id" : "jobs.framework-id");
  }

  /**
   * Makes the framework named {@code name} ({@link ServicesFramework#NAME} or {@link
   * JobsFramework#NAME}) subscribe as {@code id} when next started on {@code stateDir}: how the
   * built-in frameworks on a newly elected allocator fail over as the frameworks the previous
   * leader ran (their tasks and stores are the state's, not that allocator's directory's).
   */
  public static void adopt(Path stateDir, String name, io.strata.api.FrameworkId id) {
    if (!name.equals(ServicesFramework.NAME) && !name.equals(JobsFramework.NAME)) {
      throw new IllegalArgumentException("no built-in framework is named " + name);
    }
    FrameworkRunner.saveId(frameworkIdFile(stateDir, name), id);
  }

  /** Starts both frameworks; they subscribe (and re-subscribe) in the background. */
  public static Workloads start(Config config) {
    Workloads w = new Workloads(config);
    w.servicesRunner.start();
    w.jobsRunner.start();
    return w;
  }

  /** Creates or updates an app or a job. Returns what changed. */
  public String submit(WorkloadSpec spec) {
    return submit(spec, null);
  }

  /** Creates or updates an app or a job for principal {@code by} (null: not known). */
  public String submit(WorkloadSpec spec, String by) {
    return switch (spec) {
      case AppSpec app -> onServices(() -> services.submit(app, by));
      case JobSpec job -> onJobs(() -> jobs.submit(job));
    };
  }

  /** What {@link #submit} would change, changing nothing (as {@code nomad job plan}). */
  public RolloutPlan plan(WorkloadSpec spec) {
    return switch (spec) {
      case AppSpec app -> onServices(() -> services.dryRun(app));
      case JobSpec job -> onJobs(() -> jobs.dryRun(job));
    };
  }

  /** An app's kept versions with their deployments' outcomes. */
  public AppHistoryView history(String appId) {
    return onServices(() -> services.history(appId));
  }

  /** Rolls an app back to an earlier version's task ({@code toVersion}; null: the previous). */
  public String rollback(String appId, Long toVersion, String by) {
    return onServices(() -> services.rollback(appId, toVersion, by));
  }

  public List<AppView> apps() {
    return onServices(services::appViews);
  }

  public AppView app(String id) {
    return onServices(() -> services.appView(id));
  }

  public String scale(String appId, int instances) {
    if (instances < 0 || instances > AppSpec.MAX_INSTANCES) {
      throw new ValidationException(
          "instances",
          "must be between 0 and " + AppSpec.MAX_INSTANCES + " (was " + instances + ")");
    }
    return onServices(() -> services.scale(appId, instances));
  }

  public void removeApp(String id) {
    onServices(
        () -> {
          services.remove(id);
          return null;
        });
  }

  public List<JobView> jobs() {
    return onJobs(jobs::jobViews);
  }

  public JobView job(String id) {
    return onJobs(() -> jobs.jobView(id));
  }

  /** Starts a run of the job now; returns the run id. */
  public String startJob(String id) {
    return onJobs(() -> jobs.start(id));
  }

  public void removeJob(String id) {
    onJobs(
        () -> {
          jobs.remove(id);
          return null;
        });
  }

  /** Every task of both frameworks, pending ones with their reasons. */
  public List<TaskView> tasks() {
    List<TaskView> out = new ArrayList<>(onServices(services::tasks));
    out.addAll(onJobs(jobs::tasks));
    return out;
  }

  /** Why an app, a job or a task is not (fully) running. */
  public WhyView why(String id) {
    Optional<WhyView> w = onServices(() -> services.why(id));
    if (w.isEmpty()) {
      w = onJobs(() -> jobs.why(id));
    }
    return w.orElseThrow(() -> new NotFound("no app, job or task '" + id + "'"));
  }

  /** Kills a task: a service replaces it; a job counts it as a failure and retries it. */
  public void kill(String taskId) {
    TaskId id;
    try {
      id = TaskId.of(taskId);
    } catch (ValidationException e) {
      throw new NotFound("no task '" + taskId + "'");
    }
    try {
      onServices(
          () -> {
            services.kill(id);
            return null;
          });
    } catch (NotFound e) {
      onJobs(
          () -> {
            jobs.kill(id);
            return null;
          });
    }
  }

  /** Whether each framework is subscribed, and whether it is still recovering after a restart. */
  public Map<String, Object> status() {
    return Map.of(
        ServicesFramework.NAME,
        Map.of(
            "subscribed", wait(servicesRunner, servicesRunner.isSubscribed()),
            "recovering", onServices(services::recovering)),
        JobsFramework.NAME,
        Map.of(
            "subscribed", wait(jobsRunner, jobsRunner.isSubscribed()),
            "recovering", onJobs(jobs::recovering)));
  }

  private <T> T onServices(Callable<T> work) {
    return wait(servicesRunner, servicesRunner.submit(work));
  }

  private <T> T onJobs(Callable<T> work) {
    return wait(jobsRunner, jobsRunner.submit(work));
  }

  private static <T> T wait(
      FrameworkRunner runner, java.util.concurrent.CompletableFuture<T> future) {
    return waitWhileProgressing(runner::progress, future, STALL_TIMEOUT);
  }

  /**
   * The future's value, waiting as long as {@code progress} moves at least once every {@code
   * stall}; {@link Unavailable} once it stood still that long.
   */
  static <T> T waitWhileProgressing(
      java.util.function.LongSupplier progress,
      java.util.concurrent.CompletableFuture<T> future,
      Duration stall) {
    long seen = progress.getAsLong();
    long slice = Math.max(1, Math.min(1000, stall.toMillis()));
    long stillSince = System.nanoTime();
    try {
      while (true) {
        try {
          return future.get(slice, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
          long now = progress.getAsLong();
          if (now != seen) {
            seen = now;
            stillSince = System.nanoTime();
          } else if (System.nanoTime() - stillSince >= stall.toNanos()) {
            throw new Unavailable(
                "the framework did not answer: it made no progress for "
                    + stall.toSeconds()
                    + " s");
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Unavailable("interrupted");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  @Override
  public void close() {
    servicesRunner.close();
    jobsRunner.close();
  }
}
