package io.strata.agent.windows;

import io.strata.agent.containerizer.ContainerId;
import io.strata.agent.windows.plan.ContainerPlan;
import io.strata.agent.windows.plan.JobNames;
import io.strata.agent.windows.plan.JobPlan;
import io.strata.agent.windows.plan.LaunchSpec;
import io.strata.api.TaskInfo;
import io.strata.api.json.Codec;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/** What launching a task would do on this agent, printed; touches nothing. */
final class DryRun {
  private DryRun() {}

  /**
   * @param logicalProcessors of the machine (the CPU rate depends on it)
   */
  static void print(
      WindowsAgentConfig config, TaskInfo task, int logicalProcessors, PrintStream out) {
    ContainerId id = ContainerId.forTask(task.taskId(), new UUID(0, 0));
    Path sandbox = Path.of(config.agent().workDir(), "sandboxes", id.value());
    if (task.container() != null) {
      out.println("# windows container for " + task.taskId() + " (runs as the image's user)");
      try {
        out.print(
            Codec.YAML.encode(
                ContainerPlan.of(task, id.value(), Map.of(), sandbox.toString(), null, true)));
      } catch (IllegalArgumentException refused) {
        out.println("# refused (LAUNCH_FAILED): " + refused.getMessage());
      }
      return;
    }
    String user = task.user() != null ? task.user() : config.agent().defaultUser();
    out.println("# user '" + user + "': " + account(config, user));
    out.println("# launch " + task.taskId() + " as " + id);
    LaunchSpec spec =
        new LaunchSpec(
            JobNames.forContainer(id.value()),
            1,
            sandbox.toString(),
            sandbox.resolve("stdout").toString(),
            sandbox.resolve("stderr").toString(),
            Map.of(),
            logicalProcessors);
    out.print(JobPlan.dryRun(JobPlan.launch(task, spec)));
  }

  private static String account(WindowsAgentConfig config, String user) {
    boolean alias =
        config.windows().agentAccountAliases().stream()
            .anyMatch(a -> a.toLowerCase(Locale.ROOT).equals(user.toLowerCase(Locale.ROOT)));
    return alias
        ? "runs as the agent's own account (windows.agentAccountAliases)"
        : "must name the agent's own account (checked at launch: an unknown user fails with"
            + " LAUNCH_FAILED, another account is refused with UNAUTHORIZED)";
  }
}
