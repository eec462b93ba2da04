package io.strata.allocator.state.zk;

/**
 * Another live participant of the election already uses this store's id (two allocators of one
 * group with the same advertised URL): a configuration error, not an outage, so nothing retries it.
 */
public final class DuplicateIdException extends RuntimeException {
  public DuplicateIdException(String message) {
    super(message);
  }
}
