package io.strata.agent.linux.plan;

import io.strata.agent.containerizer.Termination;
import io.strata.agent.linux.cgroups.CgroupStats;
import io.strata.api.Quantities;
import java.util.Optional;

/** How a native task ended, from what its supervisor recorded and what the kernel counted. */
public final class TerminationRules {
  private static final String[] SIGNALS = {
    "", "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE",
    "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM"
  };

  private TerminationRules() {}

  /**
   * @param status the exit status the supervisor recorded (a shell's: 128+n for signal n), empty if
   *     it recorded none
   * @param killRequested whether the agent was killing it
   */
  public static Termination decide(
      Optional<Integer> status, CgroupStats.MemoryVerdict memory, boolean killRequested) {
    Integer code = status.orElse(null);
    boolean clean = code != null && code == 0;
    if (memory.oomKills() > 0 && !clean) {
      String message =
          "killed by the kernel for exceeding its memory limit"
              + (memory.limitBytes() == null
                  ? ""
                  : " of " + Quantities.humanBytes(memory.limitBytes()))
              + (memory.peakBytes() == null
                  ? ""
                  : " (peak " + Quantities.humanBytes(memory.peakBytes()) + ")");
      return new Termination(
          Termination.Cause.MEMORY_LIMIT, code, signalOf(code), memory.peakBytes(), message);
    }
    if (code == null) {
      return new Termination(
          killRequested ? Termination.Cause.KILLED : Termination.Cause.LOST,
          null,
          null,
          memory.peakBytes(),
          "its supervisor ended without recording an exit status");
    }
    if (killRequested) {
      return new Termination(
          Termination.Cause.KILLED,
          code,
          signalOf(code),
          memory.peakBytes(),
          "killed"
              + (signalOf(code) == null
                  ? " (exit status " + code + ")"
                  : " by " + name(signalOf(code))));
    }
    Integer signal = signalOf(code);
    if (signal != null) {
      return new Termination(
          Termination.Cause.SIGNALED,
          code,
          signal,
          memory.peakBytes(),
          "killed by " + name(signal) + " (exit status " + code + ")");
    }
    return new Termination(
        Termination.Cause.EXITED, code, null, memory.peakBytes(), "exited with code " + code);
  }

  private static Integer signalOf(Integer code) {
    return code != null && code > 128 && code < 128 + 65 ? code - 128 : null;
  }

  private static String name(int signal) {
    return signal < SIGNALS.length ? SIGNALS[signal] : "signal " + signal;
  }
}
