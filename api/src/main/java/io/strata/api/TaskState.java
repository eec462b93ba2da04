package io.strata.api;

/**
 * The life of a task, as in Mesos. STAGING: accepted by the allocator, on its way to the agent.
 * STARTING: the agent is launching it. RUNNING. Terminal: FINISHED (exit 0), FAILED, KILLED, GONE
 * (its agent was removed), DROPPED (never launched). LOST and UNREACHABLE are not terminal for the
 * task's process: the task may still run on an agent we cannot reach.
 */
public enum TaskState {
  STAGING,
  STARTING,
  RUNNING,
  FINISHED,
  FAILED,
  KILLED,
  LOST,
  UNREACHABLE,
  GONE,
  DROPPED;

  /** A terminal state ends the task: its resources are free and no more updates follow. */
  public boolean isTerminal() {
    return switch (this) {
      case FINISHED, FAILED, KILLED, GONE, DROPPED, LOST -> true;
      case STAGING, STARTING, RUNNING, UNREACHABLE -> false;
    };
  }

  /** The task holds resources on its agent. */
  public boolean isActive() {
    return !isTerminal();
  }
}
