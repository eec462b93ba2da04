package io.strata.api;

import io.strata.api.json.Checks;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A task a framework launches on an offer.
 *
 * @param taskId unique within its framework
 * @param name shown to operators; defaults to the id
 * @param command what to run; optional for a container (the image's default command)
 * @param container run in this container image instead of as a native process
 * @param resources what the task gets: CPU share, memory limit, disk, GPUs, ports
 * @param cpuLimitMillicpus an optional hard CPU cap (CFS quota / job CPU rate); at least the
 *     requested CPUs
 * @param pidsLimit an optional limit on the task's processes (Linux pids.max, Windows active
 *     process limit)
 * @param env environment variables for the task
 * @param user the user the task runs as; the framework's user when absent
 * @param labels free-form metadata
 * @param healthCheck optional
 * @param killGracePeriodMillis time between the polite stop signal and the hard kill (default 3 s)
 */
public record TaskInfo(
    TaskId taskId,
    String name,
    CommandInfo command,
    ContainerInfo container,
    Resources resources,
    Long cpuLimitMillicpus,
    Long pidsLimit,
    Map<String, String> env,
    String user,
    Map<String, String> labels,
    HealthCheck healthCheck,
    Long killGracePeriodMillis) {

  public static final long DEFAULT_KILL_GRACE_PERIOD_MILLIS = 3_000;
  private static final Pattern USER = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.@\\\\-]{0,63}\\$?");

  public TaskInfo {
    Checks c = new Checks().notNull("taskId", taskId).notNull("resources", resources);
    name = name == null && taskId != null ? taskId.value() : name;
    c.maxLength("name", name, 200);
    c.require(
        command != null || container != null,
        "command",
        "is required unless the task runs a container image");
    if (resources != null) {
      c.require(
          resources.millicpus() > 0 || resources.memoryBytes() > 0,
          "resources",
          "a task needs some CPU or memory");
      if (cpuLimitMillicpus != null) {
        c.require(
            cpuLimitMillicpus >= resources.millicpus() && cpuLimitMillicpus > 0,
            "cpuLimitMillicpus",
            "must be > 0 and at least the requested " + resources.millicpus() + " millicpus");
      }
    }
    if (pidsLimit != null) {
      c.range("pidsLimit", pidsLimit, 1, 4_194_304);
    }
    env = Attributes.env(c, "env", env);
    labels = Attributes.keys(c, "labels", labels);
    c.matches("user", user, USER, "must be a user name");
    killGracePeriodMillis =
        killGracePeriodMillis == null ? DEFAULT_KILL_GRACE_PERIOD_MILLIS : killGracePeriodMillis;
    c.range("killGracePeriodMillis", killGracePeriodMillis, 0, 3_600_000);
    c.done();
  }

  /** A native command task with no extras. */
  public static TaskInfo command(TaskId id, String shell, Resources resources) {
    return new TaskInfo(
        id,
        null,
        CommandInfo.shell(shell),
        null,
        resources,
        null,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  public TaskInfo withUser(String newUser) {
    return new TaskInfo(
        taskId,
        name,
        command,
        container,
        resources,
        cpuLimitMillicpus,
        pidsLimit,
        env,
        newUser,
        labels,
        healthCheck,
        killGracePeriodMillis);
  }

  public TaskInfo withResources(Resources newResources) {
    return new TaskInfo(
        taskId,
        name,
        command,
        container,
        newResources,
        cpuLimitMillicpus,
        pidsLimit,
        env,
        user,
        labels,
        healthCheck,
        killGracePeriodMillis);
  }
}
