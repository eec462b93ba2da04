package io.strata.agent.windows.plan;

import io.strata.agent.windows.plan.JobOperation.AddLimits;
import io.strata.agent.windows.plan.JobOperation.AssignToJob;
import io.strata.agent.windows.plan.JobOperation.AssociateCompletionPort;
import io.strata.agent.windows.plan.JobOperation.CreateJob;
import io.strata.agent.windows.plan.JobOperation.CreateSuspendedProcess;
import io.strata.agent.windows.plan.JobOperation.OpenOutputFile;
import io.strata.agent.windows.plan.JobOperation.ResumeProcess;
import io.strata.agent.windows.plan.JobOperation.SetCpuRateHardCap;
import io.strata.agent.windows.plan.JobOperation.ShareJobHandleWithTask;
import io.strata.agent.windows.plan.JobOperation.Stream;
import io.strata.api.TaskInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The isolation policy of a native Windows task: which job object operations launch it, in which
 * order. Pure: the same task and spec always give the same list.
 *
 * <ul>
 *   <li>One named job per task; the agent's completion port is associated first, so no notification
 *       about the task's processes is missed.
 *   <li>Limits: KILL_ON_JOB_CLOSE always (see {@link ShareJobHandleWithTask} for why that is safe
 *       across agent restarts), DIE_ON_UNHANDLED_EXCEPTION (no error dialog that waits forever),
 *       JOB_MEMORY = the task's memory, ACTIVE_PROCESS = its pids limit.
 *   <li>CPU: a hard cap at the task's CPU limit, or at its requested CPUs when it sets no limit.
 *       Windows has no proportional share that matches CFS shares, so the request is enforced as a
 *       cap: a task never takes more than the allocator gave it.
 *   <li>The process is created suspended in its own process group, assigned, given its job's
 *       handle, then resumed: it runs no instruction outside its job.
 * </ul>
 */
public final class JobPlan {
  /** Access of the handle the task holds to its own job: enough to keep the name, nothing more. */
  public static final int TASK_JOB_HANDLE_ACCESS = 0x0010_0000; // SYNCHRONIZE

  private JobPlan() {}

  public static List<JobOperation> launch(TaskInfo task, LaunchSpec spec) {
    if (task.command() == null) {
      throw new IllegalArgumentException(
          "task " + task.taskId().value() + " has no command: a native task needs one");
    }
    List<JobOperation> ops = new ArrayList<>();
    ops.add(new CreateJob(spec.jobName()));
    ops.add(new AssociateCompletionPort(spec.completionKey()));

    int flags = LimitFlags.KILL_ON_JOB_CLOSE | LimitFlags.DIE_ON_UNHANDLED_EXCEPTION;
    long memory = task.resources().memoryBytes();
    if (memory > 0) {
      flags |= LimitFlags.JOB_MEMORY;
    }
    int activeProcesses = 0;
    if (task.pidsLimit() != null) {
      flags |= LimitFlags.ACTIVE_PROCESS;
      activeProcesses = (int) Math.min(Integer.MAX_VALUE, task.pidsLimit());
    }
    ops.add(new AddLimits(flags, memory, activeProcesses));

    long cpuCap =
        task.cpuLimitMillicpus() != null ? task.cpuLimitMillicpus() : task.resources().millicpus();
    if (cpuCap > 0) {
      ops.add(new SetCpuRateHardCap(CpuRate.hardCap(cpuCap, spec.logicalProcessors())));
    }

    ops.add(new OpenOutputFile(Stream.STDOUT, spec.stdoutPath()));
    ops.add(new OpenOutputFile(Stream.STDERR, spec.stderrPath()));
    ops.add(
        new CreateSuspendedProcess(
            CommandLines.of(task.command()),
            environment(task, spec),
            spec.workingDirectory(),
            CreationFlags.TASK));
    ops.add(new AssignToJob());
    ops.add(new ShareJobHandleWithTask(TASK_JOB_HANDLE_ACCESS));
    ops.add(new ResumeProcess());
    return List.copyOf(ops);
  }

  /**
   * A command run inside an existing task job (a health check): its output, both streams, goes to
   * {@code outputPath}; it is created suspended, assigned to the task's job, then resumed.
   */
  public static List<JobOperation> exec(
      io.strata.api.CommandInfo command,
      Map<String, String> environment,
      String workingDirectory,
      String outputPath) {
    return List.of(
        new OpenOutputFile(Stream.STDOUT, outputPath),
        new OpenOutputFile(Stream.STDERR, outputPath),
        new CreateSuspendedProcess(
            CommandLines.of(command), environment, workingDirectory, CreationFlags.TASK),
        new AssignToJob(),
        new ResumeProcess());
  }

  /** The agent's environment, then the task's, then the variables that tell a task where it is. */
  static Map<String, String> environment(TaskInfo task, LaunchSpec spec) {
    Map<String, String> own = new LinkedHashMap<>(task.env());
    own.put("STRATA_TASK_ID", task.taskId().value());
    own.put("STRATA_SANDBOX", spec.workingDirectory());
    return EnvironmentBlock.merge(spec.baseEnvironment(), own);
  }

  /** The plan as a numbered dry run, one operation per line. */
  public static String dryRun(List<JobOperation> ops) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < ops.size(); i++) {
      out.append(i + 1).append(". ").append(ops.get(i).describe()).append('\n');
    }
    return out.toString();
  }
}
