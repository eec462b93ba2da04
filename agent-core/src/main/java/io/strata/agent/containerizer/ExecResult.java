package io.strata.agent.containerizer;

/**
 * The outcome of {@link Containerizer#exec}: the exit code (-1 if it timed out and was killed) and
 * the first few KiB of its combined output.
 */
public record ExecResult(int exitCode, boolean timedOut, String output) {
  public boolean succeeded() {
    return !timedOut && exitCode == 0;
  }
}
