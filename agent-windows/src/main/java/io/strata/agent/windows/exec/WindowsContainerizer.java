package io.strata.agent.windows.exec;

import com.sun.jna.platform.win32.WinNT.HANDLE;
import io.strata.agent.containerizer.ContainerCheckpoint;
import io.strata.agent.containerizer.ContainerId;
import io.strata.agent.containerizer.ContainerTable;
import io.strata.agent.containerizer.Containerizer;
import io.strata.agent.containerizer.ContainerizerException;
import io.strata.agent.containerizer.ExecResult;
import io.strata.agent.containerizer.LaunchResult;
import io.strata.agent.containerizer.LaunchSpec;
import io.strata.agent.containerizer.Recovered;
import io.strata.agent.containerizer.ResourceUsage;
import io.strata.agent.containerizer.Termination;
import io.strata.agent.windows.exec.JobSupervisor.Supervised;
import io.strata.agent.windows.jna.JobConstants;
import io.strata.agent.windows.jna.JobKernel32;
import io.strata.agent.windows.plan.CommandLines;
import io.strata.agent.windows.plan.EnvironmentBlock;
import io.strata.agent.windows.plan.JobNames;
import io.strata.agent.windows.plan.JobOperation;
import io.strata.agent.windows.plan.JobPlan;
import io.strata.agent.windows.plan.SystemEnvironment;
import io.strata.agent.windows.plan.TaskAccount;
import io.strata.agent.windows.plan.Terminations;
import io.strata.api.Capabilities;
import io.strata.api.CommandInfo;
import io.strata.api.Reason;
import io.strata.api.TaskInfo;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Containerizer} for native Windows tasks: one named Job Object per task (see {@link
 * JobPlan} for the policy, {@link JobSupervisor} for the mechanism), a {@link JobHolder} process
 * that keeps jobs and exit codes across agent restarts, and {@link JobMarkers} to find orphans.
 *
 * <p>Tasks run as the agent's own account ({@link TaskAccount}): {@code spec.user()} must name it
 * or be one of the aliases of it ({@code nobody} by default); an unknown user fails the launch with
 * LAUNCH_FAILED, another account with UNAUTHORIZED. The account a task runs as is checkpointed
 * ({@code account} in the details).
 */
public final class WindowsContainerizer implements Containerizer {
  private static final Logger LOG = LoggerFactory.getLogger(WindowsContainerizer.class);
  public static final String NAME = "windows";
  static final int POLL_MILLIS = 1_000;
  static final int EXEC_OUTPUT_LIMIT = 4_096;

  private final JobKernel32 kernel;
  private final Clock clock;
  private final TaskUsers users;
  private final Map<String, String> baseEnvironment;
  private final int logicalProcessors;
  private final JobNotifications notifications;
  private final JobSupervisor supervisor;
  private final JobMarkers markers;
  private final HolderFile holders;
  private final Thread notificationLoop;
  private final Set<ContainerId> used = ConcurrentHashMap.newKeySet();
  private final ContainerTable<Entry> entries = new ContainerTable<>();
  private final AtomicLong execs = new AtomicLong();

  /** What this instance knows of one container. */
  private record Entry(
      String jobName,
      Path sandbox,
      Map<String, String> environment,
      long memoryLimitBytes,
      CompletableFuture<Termination> termination) {}

  /**
   * @param workDir this containerizer's directory (job markers, the holder's identity)
   * @param holderCommand the command line that starts a {@link JobHolder} process
   */
  public WindowsContainerizer(
      JobKernel32 kernel,
      Path workDir,
      Clock clock,
      TaskUsers users,
      Map<String, String> agentEnvironment,
      String holderCommand) {
    this.kernel = kernel;
    this.clock = clock;
    this.users = users;
    this.baseEnvironment = SystemEnvironment.essentials(agentEnvironment);
    this.logicalProcessors = kernel.GetActiveProcessorCount(JobConstants.ALL_PROCESSOR_GROUPS);
    if (logicalProcessors <= 0) {
      throw new ContainerizerException(
          Win32Exception.lastError(kernel, "counting logical processors", "GetActiveProcessorCount")
              .getMessage());
    }
    this.markers = new JobMarkers(workDir);
    this.holders = new HolderFile(kernel, workDir, holderCommand);
    this.notifications = new JobNotifications(kernel, POLL_MILLIS);
    this.supervisor = new JobSupervisor(kernel, notifications.port());
    this.notificationLoop =
        Thread.ofPlatform()
            .name("strata-job-notifications")
            .daemon()
            .start(() -> notifications.run(supervisor, clock::millis));
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<String> capabilities() {
    return Set.of(Capabilities.JOB_OBJECTS);
  }

  @Override
  public boolean handles(TaskInfo task) {
    return task.container() == null;
  }

  @Override
  public LaunchResult launch(LaunchSpec spec) {
    ContainerId id = spec.containerId();
    if (!used.add(id)) {
      throw new IllegalStateException("container id " + id + " was already used");
    }
    String account;
    switch (users.decide(spec.user())) {
      case TaskAccount.Refused r -> {
        return new LaunchResult.Failed(r.reason(), r.message());
      }
      case TaskAccount.RunAsAgent run -> {
        account = run.account();
        LOG.debug("{} runs as {}: {}", id, account, run.why());
      }
    }
    TaskInfo task = spec.task();
    if (task.command() == null) {
      return new LaunchResult.Failed(
          Reason.LAUNCH_FAILED, "task.command: a native Windows task needs a command");
    }
    String jobName = JobNames.forContainer(id.value());
    Map<String, String> env = EnvironmentBlock.merge(baseEnvironment, spec.environment());
    io.strata.agent.windows.plan.LaunchSpec where =
        new io.strata.agent.windows.plan.LaunchSpec(
            jobName,
            supervisor.nextCompletionKey(),
            spec.sandbox().toString(),
            spec.stdout().toString(),
            spec.stderr().toString(),
            env,
            logicalProcessors);
    List<JobOperation> plan = JobPlan.launch(task, where);
    markers.write(id, Map.of("job", jobName));
    Supervised supervised;
    try {
      supervised = supervisor.launch(plan);
    } catch (Win32Exception e) {
      markers.delete(id);
      if (LaunchFailures.isUsers(e)) {
        return new LaunchResult.Failed(
            Reason.LAUNCH_FAILED,
            "cannot start " + describe(task.command()) + ": " + e.getMessage());
      }
      throw new ContainerizerException("launching " + id + " failed", e);
    }
    Map<String, String> details = new HashMap<>(holders.hold(supervised.job()));
    details.put("job", jobName);
    details.put("account", account);
    details.put("pid", Integer.toString(supervised.job().pid()));
    details.put("sandbox", spec.sandbox().toString());
    details.put("memoryLimit", Long.toString(task.resources().memoryBytes()));
    long started = JobHolder.creationTime(kernel, supervised.job().process());
    markers.write(id, details);
    track(id, jobName, spec.sandbox(), env, task.resources().memoryBytes(), supervised, details);
    return new LaunchResult.Launched(
        new ContainerCheckpoint(id, NAME, supervised.job().pid(), started, jobName, details));
  }

  private static String describe(CommandInfo command) {
    return command.isShell() ? "'" + command.shell() + "'" : command.argv().get(0);
  }

  private void track(
      ContainerId id,
      String jobName,
      Path sandbox,
      Map<String, String> env,
      long memoryLimit,
      Supervised supervised,
      Map<String, String> held) {
    CompletableFuture<Termination> termination =
        supervised
            .end()
            .thenApply(
                end -> {
                  releaseHostRecords(id, held);
                  return Terminations.of(end);
                });
    entries.put(id, new Entry(jobName, sandbox, env, memoryLimit, termination));
  }

  /** After a job has ended: the holder's handles and the marker go too. */
  private void releaseHostRecords(ContainerId id, Map<String, String> held) {
    try {
      holders.release(held);
      markers.delete(id);
    } catch (RuntimeException e) {
      LOG.warn("container {} ended but its host records could not all be released", id, e);
    }
  }

  @Override
  public CompletableFuture<Termination> wait(ContainerId id) {
    return entries.get(id).termination();
  }

  @Override
  public void kill(ContainerId id, Duration gracePeriod) {
    Entry e = entries.get(id);
    if (e.termination().isDone()) {
      return;
    }
    try {
      supervisor.kill(e.jobName(), gracePeriod.toMillis());
    } catch (IllegalArgumentException ended) {
      // It ended by itself while we were about to kill it: nothing left to do.
      LOG.debug("{} ended before it was killed", id);
    } catch (Win32Exception failure) {
      throw new ContainerizerException("killing " + id + " failed", failure);
    }
  }

  @Override
  public Optional<ResourceUsage> usage(ContainerId id) {
    Entry e = entries.get(id);
    if (e.termination().isDone() || !supervisor.isSupervised(e.jobName())) {
      return Optional.empty();
    }
    JobUsage u;
    try {
      u = supervisor.usage(e.jobName());
    } catch (IllegalArgumentException ended) {
      return Optional.empty();
    } catch (Win32Exception failure) {
      if (!supervisor.isSupervised(e.jobName())) {
        return Optional.empty();
      }
      throw new ContainerizerException("reading the usage of " + id + " failed", failure);
    }
    return Optional.of(
        new ResourceUsage(
            clock.instant(),
            u.cpuNanos(),
            u.memoryBytes(),
            u.peakJobMemoryBytes(),
            e.memoryLimitBytes() > 0 ? e.memoryLimitBytes() : null,
            null,
            null,
            null,
            (long) u.activeProcesses()));
  }

  @Override
  public ExecResult exec(ContainerId id, CommandInfo command, Duration timeout) {
    Entry e = entries.get(id);
    if (e.termination().isDone()) {
      throw new IllegalStateException("container " + id + " has ended");
    }
    Path output = e.sandbox().resolve(".strata-exec-" + execs.incrementAndGet() + ".out");
    List<JobOperation> plan =
        JobPlan.exec(command, e.environment(), e.sandbox().toString(), output.toString());
    try {
      JobSupervisor.ExecOutcome outcome = supervisor.exec(e.jobName(), plan, timeout.toMillis());
      return new ExecResult(
          outcome.exitCode(),
          outcome.timedOut(),
          ExecOutput.readAndDelete(output, EXEC_OUTPUT_LIMIT));
    } catch (Win32Exception failure) {
      throw new ContainerizerException(
          "cannot run " + CommandLines.of(command) + " in " + id, failure);
    }
  }

  @Override
  public List<Recovered> recover(List<ContainerCheckpoint> checkpoints) {
    List<Recovered> out = new ArrayList<>();
    Set<ContainerId> named = ConcurrentHashMap.newKeySet();
    for (ContainerCheckpoint cp : checkpoints) {
      named.add(cp.containerId());
      used.add(cp.containerId());
      out.add(recoverOne(cp));
    }
    markers
        .all()
        .forEach(
            (id, fields) -> {
              if (!named.contains(id)) {
                killOrphan(id, fields);
              }
            });
    return out;
  }

  private Recovered recoverOne(ContainerCheckpoint cp) {
    ContainerId id = cp.containerId();
    String jobName = cp.handle();
    int pid = (int) cp.pid();
    Map<String, String> held = cp.details();
    try {
      Optional<HANDLE[]> handles = holders.take(held);
      Supervised supervised;
      if (handles.isPresent()) {
        supervised = supervisor.adopt(jobName, handles.get()[0], handles.get()[1], pid);
      } else {
        JobSupervisor.Recovery r = supervisor.recover(jobName, pid);
        if (r instanceof JobSupervisor.Recovery.Gone gone) {
          releaseHostRecords(id, held);
          Termination t = Terminations.of(gone.end());
          entries.put(
              id, new Entry(jobName, null, Map.of(), 0, CompletableFuture.completedFuture(t)));
          return new Recovered.Ended(id, t);
        }
        supervised = ((JobSupervisor.Recovery.Reattached) r).supervised();
      }
      CompletableFuture<Termination> termination =
          supervised
              .end()
              .thenApply(
                  end -> {
                    releaseHostRecords(id, held);
                    return Terminations.of(end);
                  });
      entries.put(
          id, new Entry(jobName, sandboxOf(cp), baseEnvironment, memoryLimitOf(cp), termination));
      return termination.isDone()
          ? new Recovered.Ended(id, termination.join())
          : new Recovered.Running(id);
    } catch (Win32Exception e) {
      throw new ContainerizerException("recovering " + id + " failed", e);
    }
  }

  private static Path sandboxOf(ContainerCheckpoint cp) {
    String s = cp.details().get("sandbox");
    return s == null ? null : Path.of(s);
  }

  private static long memoryLimitOf(ContainerCheckpoint cp) {
    String s = cp.details().get("memoryLimit");
    return s == null ? 0 : Long.parseLong(s);
  }

  private void killOrphan(ContainerId id, Map<String, String> fields) {
    String jobName = fields.get("job");
    try {
      if (jobName != null && supervisor.terminateByName(jobName)) {
        LOG.info("killed orphaned job {} ({})", jobName, id);
      }
      releaseHostRecords(id, fields);
    } catch (Win32Exception e) {
      throw new ContainerizerException("killing orphaned job " + jobName + " failed", e);
    }
  }

  @Override
  public void close() {
    notifications.close();
    try {
      notificationLoop.join(Duration.ofSeconds(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    supervisor.detachAll();
    notifications.release();
    holders.close(markers.isEmpty());
  }
}
