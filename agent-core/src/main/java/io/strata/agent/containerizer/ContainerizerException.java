package io.strata.agent.containerizer;

/**
 * A fault of the host or of the runtime (a cgroup file that cannot be written, the Docker engine
 * unreachable), as opposed to an expected launch failure ({@link LaunchResult.Failed}). Agent-core
 * reports the affected task as failed with reason AGENT_ERROR and keeps running.
 */
public class ContainerizerException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ContainerizerException(String message) {
    super(message);
  }

  public ContainerizerException(String message, Throwable cause) {
    super(message, cause);
  }
}
