package io.strata.allocator.state.zk;

import io.strata.allocator.state.StateStoreException;

/**
 * Another live participant of the election already uses this store's id (two allocators of one
 * group with the same advertised URL): a configuration error, not an outage; an allocator that
 * meets it at start exits (status 2).
 */
public final class DuplicateIdException extends StateStoreException {
  private static final long serialVersionUID = 1L;

  public DuplicateIdException(String message) {
    super(message);
  }
}
