package io.strata.cli.output;

/** A failure the CLI explains in one message and maps to an exit code (see {@link ExitCodes}). */
public final class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int code;

  public CliException(int code, String message) {
    super(message);
    this.code = code;
  }

  public int code() {
    return code;
  }
}
