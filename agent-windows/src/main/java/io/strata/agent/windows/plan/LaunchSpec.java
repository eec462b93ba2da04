package io.strata.agent.windows.plan;

import java.util.Map;

/**
 * Where and how a task is launched on this host, besides the task itself.
 *
 * @param jobName the job object's name (see {@link JobNames})
 * @param completionKey the key under which the job's notifications reach the agent
 * @param workingDirectory the task's sandbox directory
 * @param stdoutPath the sandbox file that receives the task's standard output
 * @param stderrPath the sandbox file that receives the task's standard error
 * @param baseEnvironment the environment the task starts from (the agent's), before its own
 * @param logicalProcessors logical processors of the machine, in all processor groups
 */
public record LaunchSpec(
    String jobName,
    long completionKey,
    String workingDirectory,
    String stdoutPath,
    String stderrPath,
    Map<String, String> baseEnvironment,
    int logicalProcessors) {

  public LaunchSpec {
    baseEnvironment = Map.copyOf(baseEnvironment);
    if (logicalProcessors <= 0) {
      throw new IllegalArgumentException("logicalProcessors must be > 0");
    }
  }
}
