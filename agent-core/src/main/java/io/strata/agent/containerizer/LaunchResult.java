package io.strata.agent.containerizer;

import io.strata.api.Reason;
import java.util.Objects;

/** The outcome of {@link Containerizer#launch}: running, or an expected failure with its reason. */
public sealed interface LaunchResult {

  /**
   * The task's first process runs inside its isolation. Agent-core persists the checkpoint (fsync)
   * and reports RUNNING.
   */
  record Launched(ContainerCheckpoint checkpoint) implements LaunchResult {
    public Launched {
      Objects.requireNonNull(checkpoint, "checkpoint");
    }
  }

  /**
   * The task could not start for a reason the user can act on (unknown user, missing image, command
   * not found, a limit the host cannot enforce). Nothing was left behind on the host. Agent-core
   * reports TASK_FAILED with this reason and message.
   *
   * @param reason usually {@link Reason#LAUNCH_FAILED}; {@link Reason#UNAUTHORIZED} for a user the
   *     agent may not run tasks as; {@link Reason#INSUFFICIENT_RESOURCES} for a limit the host
   *     cannot provide
   * @param message says what is wrong and, where it helps, the field ({@code task.user: ...})
   */
  record Failed(Reason reason, String message) implements LaunchResult {
    public Failed {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(message, "message");
    }
  }
}
