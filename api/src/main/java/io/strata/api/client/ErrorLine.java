package io.strata.api.client;

/**
 * The one form in which every {@code strata} command tells a user what failed: {@code strata:
 * error: MESSAGE} on standard error, details on the following lines indented by two spaces. The CLI
 * and the provisioner's commands both print through here, so scripts and people see one shape.
 */
public final class ErrorLine {
  public static final String PREFIX = "strata: error: ";

  private ErrorLine() {}

  /** {@code strata: error: message}. */
  public static String of(String message) {
    return PREFIX + message;
  }
}
