package io.strata.allocator.authz;

/** The authorizer's answer, with the reason a person can act on. */
public sealed interface Decision {
  /** The request is allowed, by {@code rule}. */
  record Allowed(String rule) implements Decision {}

  /** The request is refused; {@code reason} names the principal, the action and the object. */
  record Denied(String reason) implements Decision {}

  default boolean allowed() {
    return this instanceof Allowed;
  }
}
