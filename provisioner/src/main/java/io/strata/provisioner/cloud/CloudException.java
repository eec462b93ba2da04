package io.strata.provisioner.cloud;

import java.time.Duration;

/**
 * A cloud call failed. Providers translate their SDK's errors into this so that one retry policy
 * serves every cloud: {@code status} is the HTTP status (0 when the endpoint was unreachable),
 * {@code retryAfter} what the cloud asked for (or null).
 */
public final class CloudException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;
  private final transient Duration retryAfter;

  public CloudException(int status, Duration retryAfter, String message, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.retryAfter = retryAfter;
  }

  public CloudException(int status, String message) {
    this(status, null, message, null);
  }

  public int status() {
    return status;
  }

  public Duration retryAfter() {
    return retryAfter;
  }

  /** Throttling, server errors and unreachable endpoints may pass; anything else will not. */
  public boolean retryable() {
    return status == 0 || status == 408 || status == 429 || status >= 500;
  }

  /** Parses a Retry-After header given in seconds (the HTTP-date form is treated as absent). */
  public static Duration parseRetryAfter(String header) {
    if (header == null || header.isBlank()) {
      return null;
    }
    try {
      return Duration.ofMillis((long) (Double.parseDouble(header.trim()) * 1000));
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
