package io.strata.workloads.core;

/**
 * Why a task is not running yet: a stable {@code code} for programs and a sentence for people, e.g.
 * {@code INSUFFICIENT_MEMORY} "insufficient memory on all 3 agents: largest free 512 MiB < 1 GiB".
 * {@code agents} is how many agents the reason ruled out (0 when it is not about agents).
 */
public record PendingReason(Code code, String message, int agents) {

  /** The kinds of reasons, most fundamental first. */
  public enum Code {
    /** No offer has been seen yet: the allocator has not offered anything to the framework. */
    NO_OFFERS,
    /** No agent runs the task's OS. */
    OS_MISMATCH,
    /** Agents lack an attribute a constraint needs, or its value does not match. */
    CONSTRAINT,
    INSUFFICIENT_CPUS,
    INSUFFICIENT_MEMORY,
    INSUFFICIENT_DISK,
    INSUFFICIENT_GPUS,
    INSUFFICIENT_PORTS,
    /** Agents that could take it have no outstanding offer for the framework right now. */
    NO_CURRENT_OFFER,
    /** A restart is delayed by exponential backoff after failures. */
    BACKOFF,
    /** Waiting on the framework's own pacing (rolling update, parallelism, a run's schedule). */
    WAITING
  }

  public static PendingReason of(Code code, String message) {
    return new PendingReason(code, message, 0);
  }

  @Override
  public String toString() {
    return message;
  }
}
