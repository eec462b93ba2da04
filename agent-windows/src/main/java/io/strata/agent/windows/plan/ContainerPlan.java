package io.strata.agent.windows.plan;

import io.strata.api.ContainerInfo;
import io.strata.api.TaskInfo;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How a task with a container image runs as a Windows container: the policy, as data; a thin
 * docker-java executor creates it. Pure.
 *
 * <ul>
 *   <li>Isolation: the task's {@code PROCESS} or {@code HYPERV}; for {@code DEFAULT}, the engine's
 *       own default as its {@code docker info} reports it (process on Windows Server, hyperv on
 *       client Windows); none at all on an engine that reports none (a Linux engine).
 *   <li>CPU: NanoCpus = the task's CPU limit, else its requested CPUs (a hard cap, as for native
 *       tasks); memory: a hard limit at the task's memory.
 *   <li>Network: {@code NONE} → {@code none}. Windows containers have no host network, so {@code
 *       HOST} is refused.
 *   <li>The sandbox is bind-mounted at {@link #SANDBOX_IN_CONTAINER}; labels name the container and
 *       task so a restarted agent finds its containers.
 * </ul>
 */
public final class ContainerPlan {
  public static final String LABEL_MANAGED = "io.strata.managed-by";
  public static final String LABEL_CONTAINER = "io.strata.container-id";
  public static final String LABEL_TASK = "io.strata.task-id";
  public static final String MANAGED_BY = "strata-windows-containers";
  public static final String SANDBOX_IN_CONTAINER = "C:\\strata\\sandbox";

  private ContainerPlan() {}

  /**
   * What to create.
   *
   * @param isolation {@code process}, {@code hyperv}, or null for the engine's choice
   * @param cmd null to run the image's default command
   * @param sandboxBind host path of the sandbox, mounted at {@code sandboxTarget}
   */
  public record Spec(
      String name,
      String image,
      List<String> cmd,
      Map<String, String> env,
      Map<String, String> labels,
      String isolation,
      long nanoCpus,
      long memoryBytes,
      String networkMode,
      String sandboxBind,
      String sandboxTarget) {}

  /**
   * @param engineDefaultIsolation what {@code docker info} reports as the default isolation, or
   *     null
   * @param windowsEngine whether the engine runs Windows containers (its OSType is windows)
   * @throws IllegalArgumentException with the field path, for a task this engine cannot run
   */
  public static Spec of(
      TaskInfo task,
      String containerId,
      Map<String, String> env,
      String sandboxOnHost,
      String engineDefaultIsolation,
      boolean windowsEngine) {
    ContainerInfo c = task.container();
    if (c == null) {
      throw new IllegalArgumentException("task.container: a container task needs an image");
    }
    if (c.network() == ContainerInfo.Network.HOST && windowsEngine) {
      throw new IllegalArgumentException(
          "task.container.network: Windows containers have no host network; use NONE");
    }
    String isolation =
        switch (c.isolation()) {
          case PROCESS -> "process";
          case HYPERV -> "hyperv";
          case DEFAULT -> blankToNull(engineDefaultIsolation);
        };
    if (isolation != null && !windowsEngine) {
      throw new IllegalArgumentException(
          "task.container.isolation: " + isolation + " isolation needs a Windows container engine");
    }
    List<String> cmd = null;
    if (task.command() != null) {
      String shell = task.command().shell();
      if (!task.command().isShell()) {
        cmd = task.command().argv();
      } else if (windowsEngine) {
        cmd = List.of("cmd", "/S", "/C", shell);
      } else {
        cmd = List.of("/bin/sh", "-c", shell);
      }
    }
    long cpus =
        task.cpuLimitMillicpus() != null ? task.cpuLimitMillicpus() : task.resources().millicpus();
    Map<String, String> labels = new TreeMap<>(task.labels());
    labels.put(LABEL_MANAGED, MANAGED_BY);
    labels.put(LABEL_CONTAINER, containerId);
    labels.put(LABEL_TASK, task.taskId().value());
    return new Spec(
        "strata-" + containerId,
        c.image(),
        cmd,
        Map.copyOf(env),
        Map.copyOf(labels),
        isolation,
        cpus * 1_000_000L,
        task.resources().memoryBytes(),
        c.network() == ContainerInfo.Network.HOST ? "host" : "none",
        sandboxOnHost,
        windowsEngine ? SANDBOX_IN_CONTAINER : "/strata/sandbox");
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() || s.equalsIgnoreCase("default")
        ? null
        : s.toLowerCase(java.util.Locale.ROOT);
  }
}
