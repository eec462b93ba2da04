package io.strata.allocator.authz;

/**
 * What one request needs: an action on an object. A null object means there is nothing to check
 * (the object does not exist; the operation answers 404).
 *
 * @param field where the object came from in the request (a field path), or null
 */
public record Permission(Action action, String object, String field) {
  public Permission(Action action, String object) {
    this(action, object, null);
  }
}
