package io.strata.agent.linux.users;

import io.strata.agent.containerizer.LaunchSpec;
import io.strata.agent.linux.jna.Posix;
import io.strata.api.Reason;
import java.io.IOException;
import java.util.Optional;

/**
 * The agent's rule for whom a task runs as (docs/isolation.md):
 *
 * <ul>
 *   <li>A task whose user is the agent's {@code defaultUser} (so every task whose framework and
 *       task name no user, and those that name the shared default) runs as the uid of its app,
 *       allocated from {@code linux.taskUids} ({@link TaskUids}): one uid per framework, or per app
 *       or job of the built-in frameworks; gid the same number; no supplementary groups.
 *   <li>A task that names another user runs as that user if it exists, is not root (unless {@code
 *       allowRootTasks}), and does not have a uid in the task range (which would let it into
 *       another app's files).
 * </ul>
 *
 * An agent that is not root, or has no range ({@link #named}), runs tasks as named users only.
 */
public final class TaskUsers {
  private final boolean allowRoot;
  private final String sharedUser;
  private final Optional<TaskUids> uids;

  private TaskUsers(boolean allowRoot, String sharedUser, Optional<TaskUids> uids) {
    this.allowRoot = allowRoot;
    this.sharedUser = sharedUser;
    this.uids = uids;
  }

  /** Per-app uids from {@code uids} for tasks of {@code defaultUser}. */
  public static TaskUsers isolated(boolean allowRoot, String defaultUser, TaskUids uids) {
    return new TaskUsers(allowRoot, defaultUser, Optional.of(uids));
  }

  /** Every task runs as the user it names (the default user included): no per-app uids. */
  public static TaskUsers named(boolean allowRoot) {
    return new TaskUsers(allowRoot, null, Optional.empty());
  }

  public boolean allowRoot() {
    return allowRoot;
  }

  public Optional<TaskUids> uids() {
    return uids;
  }

  /** Whether {@code spec} runs as its app's allocated uid rather than a named user. */
  public boolean isolates(LaunchSpec spec) {
    return uids.isPresent() && spec.user().equals(sharedUser) && Posix.euid() == 0;
  }

  /**
   * Whom {@code spec} runs as, and how to switch to them; an allocated uid is claimed (persisted)
   * and the sandbox given to it.
   */
  public TaskUser.Resolution resolve(LaunchSpec spec) throws IOException {
    if (isolates(spec)) {
      UidAllocation.Result r =
          uids.get().claim(IsolationKey.of(spec.frameworkId(), spec.task()), spec.sandbox());
      return switch (r) {
        case UidAllocation.Exhausted e -> new TaskUser.Refused(Reason.LAUNCH_FAILED, e.message());
        case UidAllocation.Assigned a ->
            TaskUser.become(TaskUser.Identity.allocated(a.uid(), spec.sandbox()));
      };
    }
    TaskUser.Resolution named = TaskUser.resolve(spec.user(), allowRoot);
    if (named instanceof TaskUser.Resolved r
        && uids.isPresent()
        && uids.get().range().contains(r.user().uid())) {
      return new TaskUser.Refused(
          Reason.UNAUTHORIZED,
          "task.user: '"
              + spec.user()
              + "' has uid "
              + r.user().uid()
              + ", inside the range this agent gives to apps ("
              + uids.get().range()
              + "): it could read another app's files");
    }
    return named;
  }
}
