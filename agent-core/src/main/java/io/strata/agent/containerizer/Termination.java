package io.strata.agent.containerizer;

import java.util.Objects;

/**
 * How a container ended, as its containerizer observed it. Agent-core turns it into a terminal
 * TaskStatus: EXITED 0 → FINISHED; EXITED n, SIGNALED → FAILED (COMMAND_EXITED); MEMORY_LIMIT →
 * FAILED (MEMORY_LIMIT); KILLED → KILLED (with the reason agent-core had for killing); LOST →
 * FAILED (AGENT_RESTARTED).
 *
 * @param cause what ended it
 * @param exitCode the exit status when known (a shell reports death by signal n as 128+n)
 * @param signal the signal that ended the root process, when known
 * @param memoryPeakBytes the container's peak memory use, when the OS reports it
 * @param message a sentence for the user: "exited with code 3", "killed by the kernel for exceeding
 *     its memory limit of 64 MiB (peak 64 MiB)"
 */
public record Termination(
    Cause cause, Integer exitCode, Integer signal, Long memoryPeakBytes, String message) {

  /** What ended a container. */
  public enum Cause {
    /** The root process exited by itself; {@code exitCode} is set. */
    EXITED,
    /** The root process was ended by a signal nobody in Strata sent. */
    SIGNALED,
    /** The OS killed (or starved) it for exceeding its memory limit. */
    MEMORY_LIMIT,
    /** {@link Containerizer#kill} ended it. */
    KILLED,
    /**
     * It is gone and how it ended cannot be known (its record vanished while the agent was down).
     */
    LOST
  }

  public Termination {
    Objects.requireNonNull(cause, "cause");
    Objects.requireNonNull(message, "message");
  }

  public static Termination exited(int code) {
    return new Termination(Cause.EXITED, code, null, null, "exited with code " + code);
  }

  public static Termination killed(Integer exitCode, String message) {
    return new Termination(Cause.KILLED, exitCode, null, null, message);
  }

  public static Termination lost(String message) {
    return new Termination(Cause.LOST, null, null, null, message);
  }

  /** True if the task ended well: exited by itself with status 0. */
  public boolean succeeded() {
    return cause == Cause.EXITED && exitCode != null && exitCode == 0;
  }

  public Termination withMessage(String newMessage) {
    return new Termination(cause, exitCode, signal, memoryPeakBytes, newMessage);
  }
}
