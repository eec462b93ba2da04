package io.strata.agent.windows.plan;

import io.strata.agent.containerizer.Termination;

/** Maps how a job ended onto the SPI's {@link Termination}. */
public final class Terminations {
  private Terminations() {}

  public static Termination of(JobEnd end) {
    return switch (end) {
      case JobEnd.Exited e when e.exitCode() < 0 ->
          // An NTSTATUS error code (0xC...): the process crashed, Windows' analogue of a signal.
          new Termination(
              Termination.Cause.SIGNALED, e.exitCode(), null, null, "crashed: " + e.message());
      case JobEnd.Exited e -> Termination.exited(e.exitCode()).withMessage(e.message());
      case JobEnd.MemoryLimit m ->
          new Termination(
              Termination.Cause.MEMORY_LIMIT, m.exitCode(), null, m.peakBytes(), m.message());
      case JobEnd.Killed k -> Termination.killed(k.exitCode(), k.message());
      case JobEnd.Vanished v -> Termination.lost(v.message());
    };
  }
}
