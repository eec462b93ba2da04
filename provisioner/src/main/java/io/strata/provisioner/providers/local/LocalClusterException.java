package io.strata.provisioner.providers.local;

/**
 * The local cluster could not be brought up (a process exited, a wait timed out, a port is taken).
 */
public final class LocalClusterException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public LocalClusterException(String message) {
    super(message);
  }

  public LocalClusterException(String message, Throwable cause) {
    super(message, cause);
  }
}
