package io.strata.agent.core;

import io.strata.api.Reason;
import io.strata.api.Resources;
import io.strata.api.TaskInfo;
import java.util.List;

/**
 * Whether an agent takes a task it was sent: it must fit in what the agent has left, and run as a
 * user the agent allows. The allocator should never send a task that does not fit; if it does (a
 * race, a bug), the task fails with a reason instead of overcommitting the machine.
 */
public final class Admission {
  private Admission() {}

  /** The verdict. */
  public sealed interface Verdict {}

  /** Launch it as {@code user}. */
  public record Admit(String user) implements Verdict {}

  /** Fail it with this reason. */
  public record Refuse(Reason reason, String message) implements Verdict {}

  /**
   * @param total what the agent offers in all
   * @param inUse the resources of its active tasks
   * @param frameworkUser the framework's user, or null
   */
  public static Verdict decide(
      TaskInfo task,
      String frameworkUser,
      Resources total,
      Resources inUse,
      String defaultUser,
      List<String> allowedUsers) {
    Resources free = total.minusClamped(inUse);
    if (!free.contains(task.resources())) {
      List<String> missing = task.resources().exceeding(free);
      return new Refuse(
          Reason.INSUFFICIENT_RESOURCES,
          "task.resources: "
              + task.resources()
              + " does not fit in what this agent has left ("
              + free
              + ")"
              + "; short of "
              + String.join(", ", missing));
    }
    String user =
        task.user() != null ? task.user() : frameworkUser != null ? frameworkUser : defaultUser;
    if (!allowedUsers.isEmpty() && !allowedUsers.contains(user)) {
      return new Refuse(
          Reason.UNAUTHORIZED,
          "task.user: '"
              + user
              + "' is not among the users this agent runs tasks as "
              + allowedUsers);
    }
    return new Admit(user);
  }
}
