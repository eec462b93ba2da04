package io.strata.api;

/** Capability names an agent reports in {@link AgentInfo#capabilities()}. */
public final class Capabilities {
  public static final String CGROUPS_V1 = "cgroups-v1";
  public static final String CGROUPS_V2 = "cgroups-v2";
  public static final String DOCKER = "docker";
  public static final String JOB_OBJECTS = "job-objects";
  public static final String WINDOWS_CONTAINERS = "windows-containers";
  public static final String GPUS = "gpus";

  /**
   * The agent understands {@code KILL_TASKS} (several tasks in one message); the allocator sends an
   * agent without it one {@code KILL_TASK} per task, so agents older than the allocator still stop
   * every task they are told to.
   */
  public static final String KILL_TASKS = "kill-tasks";

  private Capabilities() {}
}
