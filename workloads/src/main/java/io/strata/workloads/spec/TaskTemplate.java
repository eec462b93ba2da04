package io.strata.workloads.spec;

import io.strata.api.CommandInfo;
import io.strata.api.ContainerInfo;
import io.strata.api.HealthCheck;
import io.strata.api.Os;
import io.strata.api.PortRange;
import io.strata.api.Resources;
import io.strata.api.TaskId;
import io.strata.api.TaskInfo;
import io.strata.api.json.Checks;
import io.strata.workloads.core.Constraint;
import io.strata.workloads.core.PlacementStrategy;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** What apps and jobs share: how to run one task of them and where it may go. */
public record TaskTemplate(
    String command,
    List<String> args,
    ContainerInfo container,
    ResourceSpec resources,
    Map<String, String> env,
    Os os,
    List<Constraint> constraints,
    PlacementStrategy placement,
    HealthCheck healthCheck,
    Map<String, String> labels,
    String user,
    Long killGracePeriodMillis) {

  private static final Pattern ID = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

  /** Checks an app or job id: a DNS label, since it names tasks ({@code web.3.v2.x1}). */
  static void checkId(Checks c, String id) {
    c.notBlank("id", id);
    c.matches(
        "id",
        id,
        ID,
        "must be lower-case letters, digits and '-', starting and ending with a letter or digit,"
            + " at most 63 characters");
  }

  /** Checks the fields every kind shares; the caller adds its own and calls done(). */
  static void check(
      Checks c,
      String command,
      List<String> args,
      ContainerInfo container,
      ResourceSpec resources,
      List<Constraint> constraints,
      HealthCheck healthCheck) {
    boolean hasCommand = command != null && !command.isBlank();
    boolean hasArgs = args != null && !args.isEmpty();
    c.require(
        hasCommand || hasArgs || container != null,
        "command",
        "is required (a shell command line), unless args or a container image is given");
    c.require(!(hasCommand && hasArgs), "args", "set command or args, not both");
    c.noNullElements("args", args);
    c.notNull("resources", resources);
    c.noNullElements("constraints", constraints);
    if (healthCheck != null && healthCheck.portIndex() != null && resources != null) {
      c.require(
          healthCheck.portIndex() < resources.ports(),
          "healthCheck.portIndex",
          "is "
              + healthCheck.portIndex()
              + " but resources.ports asks for "
              + resources.ports()
              + " port(s)");
    }
  }

  /** The task to launch with the resources (and ports) placement gave it. */
  public TaskInfo toTask(TaskId id, Resources assigned, Map<String, String> extraLabels) {
    Map<String, String> environment = new TreeMap<>(env == null ? Map.of() : env);
    int i = 0;
    for (PortRange range : assigned.ports().ranges()) {
      for (int port = range.begin(); port <= range.end(); port++) {
        if (i == 0) {
          environment.put("PORT", Integer.toString(port));
        }
        environment.put("PORT" + i++, Integer.toString(port));
      }
    }
    environment.put("STRATA_TASK_ID", id.value());
    Map<String, String> allLabels = new TreeMap<>(labels == null ? Map.of() : labels);
    allLabels.putAll(extraLabels);
    CommandInfo cmd =
        command != null && !command.isBlank()
            ? CommandInfo.shell(command)
            : args != null && !args.isEmpty() ? new CommandInfo(null, args) : null;
    return new TaskInfo(
        id,
        null,
        cmd,
        container,
        assigned,
        null,
        null,
        environment,
        user,
        allLabels,
        healthCheck,
        killGracePeriodMillis);
  }

  public Resources demand() {
    return resources.scalars();
  }

  public int ports() {
    return resources.ports();
  }
}
