package io.strata.workloads.framework;

/** The framework cannot act now (not subscribed to the allocator yet): retry (HTTP 503). */
public final class Unavailable extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public Unavailable(String message) {
    super(message);
  }
}
