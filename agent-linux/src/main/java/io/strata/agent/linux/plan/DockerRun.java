package io.strata.agent.linux.plan;

import io.strata.agent.containerizer.LaunchSpec;
import io.strata.api.CommandInfo;
import io.strata.api.ContainerInfo;
import io.strata.api.TaskInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The container a task becomes, decided without talking to Docker: image, entrypoint and command,
 * environment, labels, user, limits, network and the sandbox mount. The {@link DockerContainerizer}
 * hands it to the engine; tests read it as a dry run.
 *
 * <p>The task's command replaces the image's entrypoint and command (a shell command runs under
 * {@code /bin/sh -c}); without one the image's own run. Docker's init (tini) is PID 1, so the
 * polite stop reaches the task's process and zombies are reaped.
 *
 * @param entrypoint null to keep the image's
 * @param cmd null to keep the image's
 * @param nanoCpus the hard CPU cap, if the task has one
 * @param cpuShares the CPU share of the request (1024 per CPU)
 * @param memoryBytes memory limit (swap included: no swap), 0 for none
 */
public record DockerRun(
    String name,
    String image,
    List<String> entrypoint,
    List<String> cmd,
    List<String> env,
    Map<String, String> labels,
    String user,
    String workingDir,
    long memoryBytes,
    Long nanoCpus,
    int cpuShares,
    Long pidsLimit,
    String networkMode,
    String sandboxSource,
    String sandboxTarget) {

  /** Where the sandbox appears inside the container (its working directory). */
  public static final String SANDBOX = "/mnt/sandbox";

  public static final String LABEL_AGENT = "io.strata.agent";
  public static final String LABEL_CONTAINER = "io.strata.container-id";
  public static final String LABEL_TASK = "io.strata.task-id";
  public static final String LABEL_FRAMEWORK = "io.strata.framework-id";

  /** The container of {@code spec}, run as the user it names (a dry run). */
  public static DockerRun of(LaunchSpec spec, String agentKey, long defaultPidsLimit) {
    return of(spec, spec.user(), agentKey, defaultPidsLimit);
  }

  /**
   * The container of {@code spec}, run as {@code user} (Docker's {@code --user}: a name the image
   * knows, or {@code uid:gid}).
   */
  public static DockerRun of(LaunchSpec spec, String user, String agentKey, long defaultPidsLimit) {
    TaskInfo task = spec.task();
    ContainerInfo container = task.container();
    List<String> entrypoint = null;
    List<String> cmd = null;
    CommandInfo command = task.command();
    if (command != null && command.isShell()) {
      entrypoint = List.of("/bin/sh", "-c");
      cmd = List.of(command.shell());
    } else if (command != null) {
      entrypoint = List.of(command.argv().get(0));
      cmd = command.argv().subList(1, command.argv().size());
    }
    Map<String, String> env = new TreeMap<>(spec.environment());
    env.put("STRATA_SANDBOX", SANDBOX);
    List<String> envList = new ArrayList<>();
    env.forEach((k, v) -> envList.add(k + "=" + v));
    Map<String, String> labels = new TreeMap<>();
    task.labels().forEach((k, v) -> labels.put("task." + k, v));
    labels.put(LABEL_AGENT, agentKey);
    labels.put(LABEL_CONTAINER, spec.containerId().value());
    labels.put(LABEL_TASK, task.taskId().value());
    labels.put(LABEL_FRAMEWORK, spec.frameworkId().value());
    long pids = task.pidsLimit() != null ? task.pidsLimit() : defaultPidsLimit;
    return new DockerRun(
        "strata-" + spec.containerId().value(),
        container.image(),
        entrypoint,
        cmd,
        List.copyOf(envList),
        Map.copyOf(labels),
        user,
        SANDBOX,
        task.resources().memoryBytes(),
        task.cpuLimitMillicpus() == null ? null : task.cpuLimitMillicpus() * 1_000_000L,
        (int) CgroupIsolator.shares(task.resources().millicpus()),
        pids > 0 ? pids : null,
        container.network() == ContainerInfo.Network.HOST ? "host" : "none",
        spec.sandbox().toString(),
        SANDBOX);
  }
}
