package io.strata.agent.windows.exec;

import io.strata.agent.windows.jna.JobConstants;
import io.strata.agent.windows.jna.JobKernel32;

/**
 * A failed Win32 call: which function, on behalf of what, the error code and the system's text for
 * it (FormatMessage of GetLastError). A fault, not an expected outcome.
 */
public final class Win32Exception extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String function;
  private final int code;

  public Win32Exception(String context, String function, int code, String systemMessage) {
    super(
        context
            + ": "
            + function
            + " failed: "
            + (systemMessage == null || systemMessage.isBlank()
                ? "Win32 error " + code
                : systemMessage.strip() + " (Win32 error " + code + ")"));
    this.function = function;
    this.code = code;
  }

  /** The exception for the call that just failed on this thread. */
  public static Win32Exception lastError(JobKernel32 kernel, String context, String function) {
    int code = kernel.lastError();
    String text;
    try {
      text = kernel.errorMessage(code);
    } catch (RuntimeException | LinkageError e) {
      text = null; // FormatMessage itself failed: the numeric code still says what happened
    }
    return new Win32Exception(context, function, code, text);
  }

  public String function() {
    return function;
  }

  /** The Win32 error code (winerror.h). */
  public int code() {
    return code;
  }

  /** Worth retrying later: the system was short of a resource, not refusing the request. */
  public boolean retryable() {
    return code == JobConstants.ERROR_NOT_ENOUGH_QUOTA || code == 1450 /* NO_SYSTEM_RESOURCES */;
  }
}
