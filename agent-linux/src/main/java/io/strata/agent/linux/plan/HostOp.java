package io.strata.agent.linux.plan;

import java.nio.file.Path;

/**
 * One operation on the host, as data: what the isolation policy decides and the {@link
 * HostOpExecutor} performs. A list of them can be printed as a dry run.
 */
public sealed interface HostOp {

  /** How the operation reads in a dry run. */
  String describe();

  /** Creates a directory (a cgroup); nothing if it exists. */
  record MakeDirectory(Path dir) implements HostOp {
    @Override
    public String describe() {
      return "mkdir " + dir;
    }
  }

  /** Writes {@code value} to a (cgroup control) file. */
  record WriteFile(Path file, String value) implements HostOp {
    @Override
    public String describe() {
      return "write " + file + " <- " + value;
    }
  }

  /** Sends {@code signal} to every process listed in a cgroup.procs file. */
  record SignalProcesses(Path procs, int signal) implements HostOp {
    @Override
    public String describe() {
      return "kill -" + signal + " $(cat " + procs + ")";
    }
  }

  /** Waits until a file's content (trimmed) is {@code value}, e.g. freezer.state FROZEN. */
  record AwaitContent(Path file, String value) implements HostOp {
    @Override
    public String describe() {
      return "await " + file + " == " + value;
    }
  }

  /** Waits until a cgroup has no process left, re-sending SIGKILL to stragglers if asked. */
  record AwaitEmpty(Path procs, boolean killStragglers) implements HostOp {
    @Override
    public String describe() {
      return "await empty " + procs + (killStragglers ? " (SIGKILL stragglers)" : "");
    }
  }

  /**
   * Gives back the memory still charged to an emptied cgroup (the page cache of files its tasks
   * wrote): v1 {@code memory.force_empty}, v2 {@code memory.reclaim}. Without it the kernel keeps
   * the removed cgroup around ("dying") until memory pressure, and thousands of them slow every
   * cgroup operation down. Best effort.
   */
  record ReclaimMemory(Path dir, boolean v2) implements HostOp {
    @Override
    public String describe() {
      return v2
          ? "write " + dir.resolve("memory.reclaim") + " <- (usage)"
          : "write " + dir.resolve("memory.force_empty") + " <- 0";
    }
  }

  /** Removes a cgroup directory (its processes must be gone); nothing if it does not exist. */
  record RemoveDirectory(Path dir) implements HostOp {
    @Override
    public String describe() {
      return "rmdir " + dir;
    }
  }
}
