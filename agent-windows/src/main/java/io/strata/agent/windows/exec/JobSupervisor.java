package io.strata.agent.windows.exec;

import com.sun.jna.platform.win32.BaseTSD.ULONG_PTR;
import com.sun.jna.platform.win32.WinNT.HANDLE;
import com.sun.jna.ptr.IntByReference;
import io.strata.agent.windows.jna.JobConstants;
import io.strata.agent.windows.jna.JobKernel32;
import io.strata.agent.windows.jna.JobStructures;
import io.strata.agent.windows.jna.JobStructures.ExtendedLimitInformation;
import io.strata.agent.windows.plan.ExitCodes;
import io.strata.agent.windows.plan.JobEnd;
import io.strata.agent.windows.plan.JobOperation;
import io.strata.agent.windows.plan.Verdict;
import io.strata.agent.windows.plan.Verdict.AgentAction;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Supervises the task jobs of one agent: launches them through {@link JobOperationExecutor}, turns
 * completion-port notifications and polls into each task's end, kills (CTRL_BREAK, grace, then the
 * whole job), reads usage, and re-attaches to jobs after an agent restart.
 *
 * <p>A task ends when its main process exits; whatever it left running in its job is terminated
 * then (the whole tree goes with the task, as with a cgroup on Linux). A job whose memory limit is
 * hit is terminated at once and reported {@link JobEnd.MemoryLimit}, as Linux' OOM killer would.
 */
public final class JobSupervisor implements JobNotifications.Listener {
  private static final Logger LOG = LoggerFactory.getLogger(JobSupervisor.class);

  /** How long a terminated process may take to be gone before the kill is reported failed. */
  static final int TERMINATION_WAIT_MILLIS = 30_000;

  private static final int RECOVERY_ACCESS =
      JobConstants.SYNCHRONIZE
          | JobConstants.PROCESS_QUERY_LIMITED_INFORMATION
          | JobConstants.PROCESS_TERMINATE;

  private final JobKernel32 kernel;
  private final HANDLE port;
  private final JobOperationExecutor launcher;
  private final AtomicLong keys = new AtomicLong();
  private final Map<String, Watch> byName = new ConcurrentHashMap<>();
  private final Map<Long, Watch> byKey = new ConcurrentHashMap<>();

  /** One supervised job and what has been seen of it. */
  private static final class Watch {
    final RunningJob job;
    final CompletableFuture<JobEnd> end = new CompletableFuture<>();
    final AtomicBoolean finished = new AtomicBoolean();
    volatile boolean memoryLimitNotified;
    volatile AgentAction action = AgentAction.NONE;
    volatile boolean killing;
    volatile boolean graceful;

    Watch(RunningJob job) {
      this.job = job;
    }
  }

  /** The outcome of looking for a job after an agent restart. */
  public sealed interface Recovery {
    record Reattached(Supervised supervised) implements Recovery {}

    record Gone(JobEnd.Vanished end) implements Recovery {}
  }

  public JobSupervisor(JobKernel32 kernel, HANDLE completionPort) {
    this.kernel = kernel;
    this.port = completionPort;
    this.launcher = new JobOperationExecutor(kernel, completionPort);
  }

  /** A fresh completion key for the next launch plan. */
  public long nextCompletionKey() {
    return keys.incrementAndGet();
  }

  /** A job under supervision and the future of its end. */
  public record Supervised(RunningJob job, CompletableFuture<JobEnd> end) {}

  /** Performs a launch plan and supervises the job; throws {@link Win32Exception} on failure. */
  public Supervised launch(List<JobOperation> plan) {
    RunningJob job = launcher.perform(plan);
    return new Supervised(job, register(job).end);
  }

  /** Completes when the task has ended; never fails for a supervised job. */
  public CompletableFuture<JobEnd> end(String jobName) {
    Watch w = byName.get(jobName);
    if (w == null) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException("no supervised job named " + jobName));
    }
    return w.end;
  }

  public boolean isSupervised(String jobName) {
    return byName.containsKey(jobName);
  }

  /**
   * Stops a task: CTRL_BREAK to its process group, up to {@code graceMillis} for the main process
   * to exit, then TerminateJobObject on the whole job. Blocks for at most the grace period plus the
   * time Windows takes to end the processes. Returns the task's end; a task that had already ended
   * returns that end.
   */
  public JobEnd kill(String jobName, long graceMillis) {
    Watch w = byName.get(jobName);
    if (w == null) {
      throw new IllegalArgumentException("no supervised job named " + jobName);
    }
    if (w.finished.get()) {
      return w.end.join();
    }
    w.killing = true;
    if (w.action == AgentAction.NONE) {
      w.action = AgentAction.KILL;
    }
    HANDLE process = w.job.process();
    if (graceMillis > 0 && ConsoleSignals.ctrlBreak(kernel, w.job.pid())) {
      int waited =
          kernel.WaitForSingleObject(process, (int) Math.min(Integer.MAX_VALUE, graceMillis));
      w.graceful = waited == JobConstants.WAIT_OBJECT_0;
    }
    if (!kernel.TerminateJobObject(w.job.job(), ExitCodes.TERMINATED_BY_AGENT)) {
      Win32Exception e =
          Win32Exception.lastError(kernel, "killing job " + jobName, "TerminateJobObject");
      if (kernel.WaitForSingleObject(process, 0) != JobConstants.WAIT_OBJECT_0) {
        w.killing = false;
        throw e;
      }
      LOG.warn("{} (its main process had already exited)", e.getMessage());
    }
    if (kernel.WaitForSingleObject(process, TERMINATION_WAIT_MILLIS)
        != JobConstants.WAIT_OBJECT_0) {
      w.killing = false;
      throw Win32Exception.lastError(
          kernel,
          "waiting for job " + jobName + " to end after TerminateJobObject",
          "WaitForSingleObject");
    }
    finish(w, exitCodeOf(w));
    return w.end.join();
  }

  /** The job's usage now; throws {@link Win32Exception} if Windows cannot tell. */
  public JobUsage usage(String jobName) {
    Watch w = byName.get(jobName);
    if (w == null) {
      throw new IllegalArgumentException("no supervised job named " + jobName);
    }
    return JobAccounting.read(kernel, w.job.job(), jobName);
  }

  /**
   * Finds a task's job after an agent restart by its name and main process id. The job is gone if
   * its name no longer exists (the main process, which held a handle to it, exited) or if that
   * process is no longer in it (the pid was reused); a job found without its main process is
   * terminated, since its task has ended.
   */
  public Recovery recover(String jobName, int pid) {
    String ctx = "recovering job " + jobName;
    HANDLE job = kernel.OpenJobObjectW(JobConstants.JOB_OBJECT_ALL_ACCESS, false, jobName);
    if (job == null) {
      int code = kernel.lastError();
      if (code == JobConstants.ERROR_FILE_NOT_FOUND) {
        return gone(
            "job " + jobName + " no longer exists: the task ended while the agent was down");
      }
      throw Win32Exception.lastError(kernel, ctx, "OpenJobObjectW");
    }
    HANDLE process = kernel.OpenProcess(RECOVERY_ACCESS, false, pid);
    if (process == null) {
      endOrphan(job, jobName);
      return gone("the main process " + pid + " of job " + jobName + " has exited");
    }
    IntByReference inJob = new IntByReference();
    if (!kernel.IsProcessInJob(process, job, inJob)) {
      Win32Exception e = Win32Exception.lastError(kernel, ctx, "IsProcessInJob");
      close(process, job);
      throw e;
    }
    if (inJob.getValue() == 0) {
      close(process);
      endOrphan(job, jobName);
      return gone(
          "process " + pid + " is no longer in job " + jobName + " (its main process exited)");
    }
    return new Recovery.Reattached(adopt(jobName, job, process, pid));
  }

  /**
   * Supervises a job whose handles the caller already holds (taken back from the job holder after a
   * restart). If its main process has exited meanwhile, the job is finished at once: {@link #end}
   * is then already complete, with the real exit code.
   */
  public Supervised adopt(String jobName, HANDLE job, HANDLE process, int pid) {
    long key = nextCompletionKey();
    reassociate(job, key, jobName);
    RunningJob running = new RunningJob(jobName, key, job, process, pid);
    Watch w = register(running);
    checkExited(w);
    return new Supervised(running, w.end);
  }

  /** The outcome of a command run in a task's job. */
  public record ExecOutcome(int exitCode, boolean timedOut) {}

  /**
   * Runs {@code plan} (open output, create suspended, assign, resume) inside the job of {@code
   * jobName} and waits for that process, at most {@code timeoutMillis}; then terminates it.
   */
  public ExecOutcome exec(String jobName, List<JobOperation> plan, long timeoutMillis) {
    Watch w = byName.get(jobName);
    if (w == null) {
      throw new IllegalStateException("job " + jobName + " has ended");
    }
    RunningJob run = launcher.perform(plan, jobName, w.job.job());
    try {
      int waited =
          kernel.WaitForSingleObject(
              run.process(), (int) Math.min(Integer.MAX_VALUE, timeoutMillis));
      if (waited == JobConstants.WAIT_TIMEOUT) {
        if (!kernel.TerminateProcess(run.process(), ExitCodes.TERMINATED_BY_AGENT)) {
          throw Win32Exception.lastError(kernel, "ending a timed-out command", "TerminateProcess");
        }
        return new ExecOutcome(-1, true);
      }
      if (waited != JobConstants.WAIT_OBJECT_0) {
        throw Win32Exception.lastError(kernel, "waiting for a command", "WaitForSingleObject");
      }
      IntByReference code = new IntByReference();
      if (!kernel.GetExitCodeProcess(run.process(), code)) {
        throw Win32Exception.lastError(
            kernel, "reading a command's exit code", "GetExitCodeProcess");
      }
      return new ExecOutcome(code.getValue(), false);
    } finally {
      close(run.process());
    }
  }

  /**
   * Lets go of every job without touching it (the agent is closing; its tasks run on): closes the
   * agent's handles, forgets the jobs. Their end futures never complete on this instance.
   */
  public void detachAll() {
    for (Watch w : byName.values()) {
      if (w.finished.compareAndSet(false, true)) {
        close(w.job.process(), w.job.job());
      }
    }
    byName.clear();
    byKey.clear();
  }

  /**
   * Terminates the job named {@code jobName} if it exists (an orphan no checkpoint names). Returns
   * false if there is no such job.
   */
  public boolean terminateByName(String jobName) {
    HANDLE job = kernel.OpenJobObjectW(JobConstants.JOB_OBJECT_ALL_ACCESS, false, jobName);
    if (job == null) {
      if (kernel.lastError() == JobConstants.ERROR_FILE_NOT_FOUND) {
        return false;
      }
      throw Win32Exception.lastError(kernel, "opening orphaned job " + jobName, "OpenJobObjectW");
    }
    try {
      if (!kernel.TerminateJobObject(job, ExitCodes.TERMINATED_BY_AGENT)) {
        throw Win32Exception.lastError(
            kernel, "ending orphaned job " + jobName, "TerminateJobObject");
      }
      return true;
    } finally {
      close(job);
    }
  }

  /** Jobs under supervision now. */
  public int supervisedCount() {
    return byName.size();
  }

  /** The old agent's port is gone: drop that association (Windows 8+), then associate ours. */
  private void reassociate(HANDLE job, long key, String jobName) {
    JobStructures.AssociateCompletionPort none = new JobStructures.AssociateCompletionPort();
    JobStructures.AssociateCompletionPort ours = new JobStructures.AssociateCompletionPort();
    ours.CompletionKey = new ULONG_PTR(key);
    ours.CompletionPort = port;
    int cls = JobConstants.JOB_OBJECT_ASSOCIATE_COMPLETION_PORT_INFORMATION;
    if (!kernel.SetInformationJobObject(job, cls, none, none.size())
        || !kernel.SetInformationJobObject(job, cls, ours, ours.size())) {
      LOG.warn(
          "no notifications for recovered job {}, polling it instead: {}",
          jobName,
          Win32Exception.lastError(
                  kernel, "re-associating the completion port", "SetInformationJobObject")
              .getMessage());
    }
  }

  private void endOrphan(HANDLE job, String jobName) {
    if (!kernel.TerminateJobObject(job, ExitCodes.TERMINATED_BY_AGENT)) {
      LOG.warn(
          "{}",
          Win32Exception.lastError(kernel, "ending orphaned job " + jobName, "TerminateJobObject")
              .getMessage());
    }
    close(job);
  }

  private static Recovery gone(String message) {
    return new Recovery.Gone(new JobEnd.Vanished(message));
  }

  private Watch register(RunningJob job) {
    Watch w = new Watch(job);
    byName.put(job.name(), w);
    byKey.put(job.completionKey(), w);
    return w;
  }

  @Override
  public void onMessage(JobMessage message) {
    Watch w = byKey.get(message.completionKey());
    if (w == null || w.finished.get()) {
      return; // a late message for a job that has ended
    }
    if (message.isJobMemoryLimit()) {
      w.memoryLimitNotified = true;
      if (w.action == AgentAction.NONE) {
        w.action = AgentAction.MEMORY_LIMIT;
      }
      if (!kernel.TerminateJobObject(w.job.job(), ExitCodes.TERMINATED_BY_AGENT)) {
        LOG.warn(
            "{}",
            Win32Exception.lastError(
                    kernel,
                    "ending job " + w.job.name() + " at its memory limit",
                    "TerminateJobObject")
                .getMessage());
      }
    }
    if (message.isExit() || message.isJobMemoryLimit()) {
      checkExited(w);
    }
  }

  @Override
  public void poll() {
    for (Watch w : byName.values()) {
      checkExited(w);
    }
  }

  private void checkExited(Watch w) {
    if (w.killing || w.finished.get()) {
      return; // kill() finishes the jobs it kills
    }
    if (kernel.WaitForSingleObject(w.job.process(), 0) == JobConstants.WAIT_OBJECT_0) {
      finish(w, exitCodeOf(w));
    }
  }

  private Integer exitCodeOf(Watch w) {
    IntByReference code = new IntByReference();
    if (!kernel.GetExitCodeProcess(w.job.process(), code)) {
      LOG.warn(
          "{}",
          Win32Exception.lastError(
                  kernel, "reading the exit code of job " + w.job.name(), "GetExitCodeProcess")
              .getMessage());
      return null;
    }
    return code.getValue();
  }

  /** Ends the rest of the job's tree, reads its peak memory, releases it, reports its end. */
  private void finish(Watch w, Integer exitCode) {
    if (!w.finished.compareAndSet(false, true)) {
      return;
    }
    RunningJob job = w.job;
    long peak = 0;
    long limit = 0;
    try {
      ExtendedLimitInformation info = JobLimits.read(kernel, job.job(), "ending job " + job.name());
      peak = info.PeakJobMemoryUsed.longValue();
      if ((info.BasicLimitInformation.LimitFlags & JobConstants.JOB_OBJECT_LIMIT_JOB_MEMORY) != 0) {
        limit = info.JobMemoryLimit.longValue();
      }
    } catch (Win32Exception e) {
      LOG.warn("{}: the verdict relies on notifications only", e.getMessage());
    }
    if (!kernel.TerminateJobObject(job.job(), ExitCodes.TERMINATED_BY_AGENT)) {
      LOG.warn(
          "{}",
          Win32Exception.lastError(
                  kernel, "ending what job " + job.name() + " left running", "TerminateJobObject")
              .getMessage());
    }
    close(job.process(), job.job());
    byName.remove(job.name());
    byKey.remove(job.completionKey());
    w.end.complete(
        Verdict.of(
            new Verdict.Facts(exitCode, w.memoryLimitNotified, peak, limit, w.action, w.graceful)));
  }

  private void close(HANDLE... handles) {
    for (HANDLE h : handles) {
      if (h != null && !kernel.CloseHandle(h)) {
        LOG.warn(
            "{}", Win32Exception.lastError(kernel, "releasing a job", "CloseHandle").getMessage());
      }
    }
  }

  /** Jobs currently supervised, by name. */
  public Optional<RunningJob> job(String jobName) {
    Watch w = byName.get(jobName);
    return w == null ? Optional.empty() : Optional.of(w.job);
  }
}
