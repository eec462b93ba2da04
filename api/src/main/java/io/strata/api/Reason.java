package io.strata.api;

/** Why a task is in its state: a stable machine-readable code; the status message says more. */
public enum Reason {
  /** The process exited; the exit code is in the status. */
  COMMAND_EXITED,
  /** Killed by the kernel (OOM) or the job object for exceeding its memory limit. */
  MEMORY_LIMIT,
  /** Could not start: command not found, unknown user, missing image, sandbox error... */
  LAUNCH_FAILED,
  /** The task description breaks the contract (bad field, duplicate id...). */
  INVALID_TASK,
  /** The task does not fit in the offer or on the agent. */
  INSUFFICIENT_RESOURCES,
  /** The principal may not launch in that role or as that user. */
  UNAUTHORIZED,
  /** A framework asked to kill it. */
  KILLED_BY_FRAMEWORK,
  /** An operator killed it (drain, teardown). */
  KILLED_BY_OPERATOR,
  /** It failed its health check too many times in a row. */
  HEALTH_CHECK_FAILED,
  /** Its agent missed heartbeats. */
  AGENT_UNREACHABLE,
  /** Its agent was removed after being unreachable too long, or shut down. */
  AGENT_GONE,
  /** Its agent restarted and could not recover the task. */
  AGENT_RESTARTED,
  /** Its agent is draining for maintenance. */
  AGENT_DRAINING,
  /** Its framework was torn down or failed over too late. */
  FRAMEWORK_REMOVED,
  /** Sent in answer to RECONCILE. */
  RECONCILIATION,
  /** The allocator has no such task. */
  TASK_UNKNOWN,
  /** Something failed inside the agent or container runtime; see the message. */
  AGENT_ERROR
}
