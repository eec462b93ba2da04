package io.strata.cli.commands;

import io.strata.cli.output.CliException;
import io.strata.cli.output.ExitCodes;
import io.strata.workloads.core.JobRun;
import io.strata.workloads.framework.TaskView;
import io.strata.workloads.jobs.JobView;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code strata logs APP} (or JOB): the output of each of its current tasks, every line prefixed
 * with the task's id, as {@code kubectl logs -l ... --prefix}. Without -f the tasks are printed one
 * after the other; with -f they are followed together, whole lines at a time.
 */
final class LogsOfWorkload {
  private LogsOfWorkload() {}

  static int print(LogsCommand logs, String id) throws IOException, InterruptedException {
    List<String> tasks = tasksOf(logs, id);
    if (tasks.isEmpty()) {
      throw new CliException(
          ExitCodes.NOT_FOUND,
          "'" + id + "' has no task with output yet (see strata ps, strata why " + id + ")");
    }
    PrintWriter out = logs.spec.commandLine().getOut();
    if (!logs.following()) {
      for (String task : tasks) {
        try (PrefixedLines lines = new PrefixedLines(out, task)) {
          logs.forTask(task).stream(new PrintWriter(lines, true));
        } catch (CliException e) {
          if (e.code() != ExitCodes.NOT_FOUND) {
            throw e;
          }
          // No sandbox yet (pending) or already removed: nothing to print for it.
        }
      }
      return ExitCodes.OK;
    }
    try (ExecutorService each = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Integer>> all = new ArrayList<>();
      for (String task : tasks) {
        all.add(
            each.submit(
                () -> {
                  try (PrefixedLines lines = new PrefixedLines(out, task)) {
                    return logs.forTask(task).stream(new PrintWriter(lines, true));
                  }
                }));
      }
      for (Future<Integer> f : all) {
        try {
          f.get();
        } catch (ExecutionException e) {
          if (e.getCause() instanceof RuntimeException r) {
            throw r;
          }
          throw new IOException(e.getCause());
        }
      }
    }
    return ExitCodes.OK;
  }

  /** The ids of the app's current tasks, or the job's; not found if it is neither. */
  private static List<String> tasksOf(LogsCommand logs, String id) {
    var client = logs.options().client();
    List<TaskView> tasks;
    try {
      tasks = client.app(id).tasks();
    } catch (io.strata.api.client.ApiException e) {
      if (e.status() != 404) {
        throw e;
      }
      try {
        return jobTasks(client.job(id));
      } catch (io.strata.api.client.ApiException j) {
        if (j.status() != 404) {
          throw j;
        }
        throw new CliException(
            ExitCodes.NOT_FOUND,
            "no task, app or job '" + id + "' (task ids look like web.v1.k3f9q1: see strata ps)");
      }
    }
    return tasks.stream().filter(t -> t.agentId() != null).map(TaskView::id).toList();
  }

  /**
   * The tasks of the job's active runs; when none is active, those of its newest run (ended tasks
   * keep their sandboxes for a while): {@code job.runId.index} for every index the run gave out, at
   * most {@link #MAX_ENDED} of them (the newest).
   */
  private static List<String> jobTasks(JobView job) {
    List<String> active =
        job.tasks().stream().filter(t -> t.agentId() != null).map(TaskView::id).toList();
    if (!active.isEmpty() || job.runs().isEmpty()) {
      return active;
    }
    JobRun newest = job.runs().get(0);
    List<String> ended = new ArrayList<>();
    for (int i = Math.max(0, newest.nextIndex() - MAX_ENDED); i < newest.nextIndex(); i++) {
      ended.add(job.id() + "." + newest.runId() + "." + i);
    }
    return ended;
  }

  static final int MAX_ENDED = 100;

  /**
   * Writes whole lines to {@code out}, each prefixed with {@code [task] }; the rest of a line waits
   * for its end (or for close), so lines of tasks followed together do not mix.
   */
  static final class PrefixedLines extends Writer {
    private final PrintWriter out;
    private final String prefix;
    private final StringBuilder line = new StringBuilder();

    PrefixedLines(PrintWriter out, String task) {
      this.out = out;
      this.prefix = "[" + task + "] ";
    }

    @Override
    public void write(char[] buf, int off, int len) {
      for (int i = off; i < off + len; i++) {
        line.append(buf[i]);
        if (buf[i] == '\n') {
          emit();
        }
      }
    }

    private void emit() {
      synchronized (out) {
        out.print(prefix + line);
        out.flush();
      }
      line.setLength(0);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
      if (!line.isEmpty()) {
        line.append('\n');
        emit();
      }
    }
  }
}
