package io.strata.agent.containerizer;

import io.strata.api.FrameworkId;
import io.strata.api.TaskInfo;
import io.strata.api.json.Checks;
import java.nio.file.Path;
import java.util.Map;

/**
 * Everything a {@link Containerizer} needs to launch one task. Agent-core builds it: it has already
 * checked the task against the agent's resources and its allowed users, created the sandbox, and
 * assembled the environment.
 *
 * @param containerId the run's id, unused so far on this agent
 * @param frameworkId the framework that owns the task
 * @param task the task as the framework described it
 * @param user the resolved user to run as (task user, else framework user, else the agent's
 *     default); the containerizer checks that it exists on this machine
 * @param sandbox the task's working directory, created by agent-core
 * @param stdout where the task's standard output goes (appended; agent-core rotates it)
 * @param stderr where the task's standard error goes (appended; agent-core rotates it)
 * @param environment the complete environment of the task's first process: the task's {@code env}
 *     plus what the agent adds ({@code STRATA_TASK_ID}, {@code STRATA_SANDBOX}, {@code PORT0}...)
 */
public record LaunchSpec(
    ContainerId containerId,
    FrameworkId frameworkId,
    TaskInfo task,
    String user,
    Path sandbox,
    Path stdout,
    Path stderr,
    Map<String, String> environment) {

  public LaunchSpec {
    new Checks()
        .notNull("containerId", containerId)
        .notNull("frameworkId", frameworkId)
        .notNull("task", task)
        .notBlank("user", user)
        .notNull("sandbox", sandbox)
        .notNull("stdout", stdout)
        .notNull("stderr", stderr)
        .done();
    environment = environment == null ? Map.of() : Map.copyOf(environment);
  }
}
