package io.strata.allocator.state;

/**
 * The state store cannot read or write durable state; not retryable by a client. Subclasses name
 * causes a caller handles apart (e.g. {@code zk.DuplicateIdException}).
 */
public class StateStoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StateStoreException(String message) {
    super(message);
  }

  public StateStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
