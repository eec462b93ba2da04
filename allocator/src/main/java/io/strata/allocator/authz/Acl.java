package io.strata.allocator.authz;

import com.fasterxml.jackson.annotation.JsonAlias;
import io.strata.api.json.Checks;

/**
 * One ACL entry: these principals may (or, with NONE, may not) do the action on these objects.
 * Mesos' per-action names of the object field ({@code roles}, {@code framework_principals}, {@code
 * agents}) are accepted for {@code objects}.
 */
public record Acl(
    Entity principals,
    @JsonAlias({"roles", "framework_principals", "agents", "join_tokens", "views"})
        Entity objects) {
  public Acl {
    new Checks().notNull("principals", principals).notNull("objects", objects).done();
  }

  boolean matches(String principal, String object, Action.ObjectKind kind) {
    return principals.matches(principal, Action.ObjectKind.PRINCIPAL)
        && objects.matches(object, kind);
  }

  boolean allows() {
    return principals.allows() && objects.allows();
  }

  @Override
  public String toString() {
    return "{principals " + principals + ", objects " + objects + "}";
  }
}
