package io.strata.agent.linux;

import io.strata.agent.linux.libc.Posix;
import io.strata.api.Reason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Who a task runs as, and how to become them: {@code setpriv} (util-linux) drops from root to the
 * task's uid, gid and supplementary groups just before the task's command is exec'd. Root is
 * refused unless the agent allows it; an agent that is not root can only run tasks as itself.
 */
public final class TaskUser {
  static final Path SETPRIV = Path.of("/usr/bin/setpriv");

  private TaskUser() {}

  /** The outcome of {@link #resolve}. */
  public sealed interface Resolution {}

  /** Run the command behind {@code prefix} (empty when no switch is needed). */
  public record Resolved(Posix.User user, List<String> prefix) implements Resolution {}

  /** The task cannot run as this user here. */
  public record Refused(Reason reason, String message) implements Resolution {}

  public static Resolution resolve(String name, boolean allowRoot) throws IOException {
    Optional<Posix.User> found = Posix.user(name);
    if (found.isEmpty()) {
      return new Refused(
          Reason.LAUNCH_FAILED, "task.user: user '" + name + "' does not exist on this agent");
    }
    Posix.User user = found.get();
    if (user.uid() == 0 && !allowRoot) {
      return new Refused(
          Reason.UNAUTHORIZED,
          "task.user: '"
              + name
              + "' is root, and this agent does not run tasks as root"
              + " (set allowRootTasks in its config to allow it)");
    }
    int self = Posix.euid();
    if (user.uid() == self) {
      return new Resolved(user, List.of());
    }
    if (self != 0) {
      return new Refused(
          Reason.UNAUTHORIZED,
          "task.user: this agent runs as uid " + self + " and cannot run tasks as '" + name + "'");
    }
    if (!Files.isExecutable(SETPRIV)) {
      return new Refused(
          Reason.LAUNCH_FAILED,
          "task.user: cannot switch to '" + name + "': " + SETPRIV + " (util-linux) is missing");
    }
    return new Resolved(
        user,
        List.of(
            SETPRIV.toString(),
            "--reuid=" + user.uid(),
            "--regid=" + user.gid(),
            "--init-groups",
            "--"));
  }
}
