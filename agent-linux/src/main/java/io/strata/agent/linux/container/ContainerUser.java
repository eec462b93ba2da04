package io.strata.agent.linux.container;

import io.strata.agent.containerizer.ContainerizerException;
import io.strata.agent.containerizer.LaunchSpec;
import io.strata.agent.linux.jna.Posix;
import io.strata.agent.linux.users.IsolationKey;
import io.strata.agent.linux.users.TaskUsers;
import io.strata.agent.linux.users.UidAllocation;
import io.strata.agent.state.StateFiles;
import io.strata.api.Reason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Whom a container runs as: the same per-app uid a native task of the app would get ({@code
 * uid:uid}, the image need not know it), unless the task names a user of its own (then Docker's
 * {@code --user} is that name, which the image must know, or a numeric uid). The sandbox, mounted
 * at {@code /mnt/sandbox}, is 0700 and owned by that uid; a named user owns it when the host knows
 * the name or it is numeric, else it stays the agent's (such a container can write its sandbox only
 * as root in the container).
 */
final class ContainerUser {
  private ContainerUser() {}

  sealed interface Decision {}

  /**
   * @param user Docker's {@code --user}
   * @param owner the uid and gid to give the sandbox, if known
   */
  record Run(String user, Optional<int[]> owner) implements Decision {}

  record Refused(Reason reason, String message) implements Decision {}

  static Decision decide(LaunchSpec spec, TaskUsers users) {
    try {
      if (users.isolates(spec)) {
        UidAllocation.Result r =
            users
                .uids()
                .orElseThrow()
                .claim(IsolationKey.of(spec.frameworkId(), spec.task()), spec.sandbox());
        return switch (r) {
          case UidAllocation.Exhausted e -> new Refused(Reason.LAUNCH_FAILED, e.message());
          case UidAllocation.Assigned a ->
              new Run(a.uid() + ":" + a.uid(), Optional.of(new int[] {a.uid(), a.uid()}));
        };
      }
      String user = spec.user();
      if (!users.allowRoot() && (user.equals("root") || user.equals("0"))) {
        return new Refused(
            Reason.UNAUTHORIZED,
            "task.user: this agent does not run tasks as root (set allowRootTasks in its config)");
      }
      Optional<int[]> owner = owner(user);
      if (owner.isPresent()
          && users.uids().isPresent()
          && users.uids().get().range().contains(owner.get()[0])) {
        return new Refused(
            Reason.UNAUTHORIZED,
            "task.user: '"
                + user
                + "' is uid "
                + owner.get()[0]
                + ", inside the range this agent gives to apps ("
                + users.uids().get().range()
                + ")");
      }
      return new Run(user, owner);
    } catch (IOException e) {
      throw new ContainerizerException(
          "cannot choose the user of " + spec.containerId() + ": " + e.getMessage(), e);
    }
  }

  /** The host uid and gid a named container user stands for, when the host can tell. */
  private static Optional<int[]> owner(String user) throws IOException {
    if (user.chars().allMatch(Character::isDigit)) {
      int uid = Integer.parseInt(user);
      return Optional.of(new int[] {uid, uid});
    }
    return Posix.user(user).map(u -> new int[] {u.uid(), u.gid()});
  }

  /** The sandbox 0700 with its log files, given to the container's user when known. */
  static void prepareSandbox(LaunchSpec spec, Run run) {
    try {
      for (Path log : List.of(spec.stdout(), spec.stderr())) {
        if (!Files.exists(log)) {
          Files.createFile(log, StateFiles.privateFile());
        }
      }
      StateFiles.privateDirectory(spec.sandbox());
      if (Posix.euid() == 0 && run.owner().isPresent()) {
        int[] o = run.owner().get();
        for (Path p : List.of(spec.sandbox(), spec.stdout(), spec.stderr())) {
          Posix.chown(p, o[0], o[1]);
        }
      }
    } catch (IOException e) {
      throw new ContainerizerException(
          "cannot prepare the sandbox " + spec.sandbox() + ": " + e.getMessage(), e);
    }
  }
}
