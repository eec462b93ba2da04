package io.strata.agent.windows.exec;

import io.strata.agent.windows.jna.JobConstants;

/**
 * One job notification from the completion port.
 *
 * @param completionKey which job (the key it was associated with)
 * @param message a JOB_OBJECT_MSG_* value
 * @param processId the process concerned, for per-process messages; 0 otherwise
 */
public record JobMessage(long completionKey, int message, int processId) {

  public boolean isJobMemoryLimit() {
    return message == JobConstants.JOB_OBJECT_MSG_JOB_MEMORY_LIMIT;
  }

  /** A process of the job exited (normally or not), or none is left. */
  public boolean isExit() {
    return message == JobConstants.JOB_OBJECT_MSG_EXIT_PROCESS
        || message == JobConstants.JOB_OBJECT_MSG_ABNORMAL_EXIT_PROCESS
        || message == JobConstants.JOB_OBJECT_MSG_ACTIVE_PROCESS_ZERO;
  }
}
