package io.strata.agent.tasks;

import io.strata.agent.containerizer.ContainerId;
import io.strata.api.FrameworkId;
import io.strata.api.PortRange;
import io.strata.api.TaskInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The environment a task starts with: its own {@code env}, plus what the agent tells it — ids, the
 * sandbox, the host, its ports ({@code PORT0..n}, {@code PORT}, {@code PORTS}, as Marathon does),
 * and {@code STRATA_JAVA_HOME}: the Java runtime the agent itself runs on, which every agent host
 * has (a JDK or JRE 21+), so a task can run Java, or serve files with {@code
 * $STRATA_JAVA_HOME/bin/java -m jdk.httpserver}, with nothing else installed. It is a host path:
 * inside a container it means nothing. The task's own variables win except for the {@code STRATA_}
 * ones.
 */
public final class TaskEnvironment {
  /** The agent's own Java runtime ({@code java.home}). */
  private static final String AGENT_JAVA_HOME = System.getProperty("java.home");

  private TaskEnvironment() {}

  public static Map<String, String> of(
      TaskInfo task, FrameworkId framework, ContainerId container, Path sandbox, String host) {
    return of(task, framework, container, sandbox, host, AGENT_JAVA_HOME);
  }

  /** As {@link #of(TaskInfo, FrameworkId, ContainerId, Path, String)}, with the Java runtime. */
  static Map<String, String> of(
      TaskInfo task,
      FrameworkId framework,
      ContainerId container,
      Path sandbox,
      String host,
      String javaHome) {
    Map<String, String> env = new TreeMap<>();
    List<Integer> ports = new ArrayList<>();
    for (PortRange r : task.resources().ports().ranges()) {
      for (int p = r.begin(); p <= r.end() && ports.size() < 1000; p++) {
        ports.add(p);
      }
    }
    for (int i = 0; i < ports.size(); i++) {
      env.put("PORT" + i, Integer.toString(ports.get(i)));
    }
    if (!ports.isEmpty()) {
      env.put("PORT", Integer.toString(ports.get(0)));
      env.put("PORTS", String.join(",", ports.stream().map(String::valueOf).toList()));
    }
    env.put("HOST", host);
    env.putAll(task.env());
    env.put("STRATA_TASK_ID", task.taskId().value());
    env.put("STRATA_FRAMEWORK_ID", framework.value());
    env.put("STRATA_CONTAINER_ID", container.value());
    env.put("STRATA_SANDBOX", sandbox.toString());
    if (javaHome != null) {
      env.put("STRATA_JAVA_HOME", javaHome);
    }
    return env;
  }
}
