package io.strata.allocator.authz;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.strata.api.Roles;
import io.strata.api.json.Checks;
import java.util.Set;

/**
 * The subjects or objects of an ACL, as Mesos writes them: {@code {"type": "ANY"}}, {@code {"type":
 * "NONE"}} or {@code {"values": ["a", "b"]}}.
 *
 * @param type ANY or NONE; null when {@code values} are given
 * @param values the names matched; empty when {@code type} is given
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Entity(Type type, Set<String> values) {
  public static final Entity ANY = new Entity(Type.ANY, null);
  public static final Entity NONE = new Entity(Type.NONE, null);

  /** ANY matches every name and allows; NONE matches every name and denies. */
  public enum Type {
    ANY,
    NONE
  }

  public Entity {
    values = values == null ? Set.of() : Set.copyOf(values);
    Checks c = new Checks();
    c.require(
        type != null || !values.isEmpty(),
        "values",
        "give values (a list of names) or type (ANY or NONE)");
    c.require(type == null || values.isEmpty(), "type", "give either type or values, not both");
    for (String v : values) {
      c.require(!v.isBlank(), "values", "must not hold a blank name");
    }
    c.done();
  }

  /** The names given. */
  public static Entity of(String... names) {
    return new Entity(null, Set.of(names));
  }

  /** The names given, or ANY if they hold {@code *}. */
  public static Entity ofRoles(Set<String> roles) {
    return roles.contains("*") ? ANY : new Entity(null, roles);
  }

  /** True if this entity covers {@code name}, an object of {@code kind} (or a principal). */
  boolean matches(String name, Action.ObjectKind kind) {
    if (type != null) {
      return true;
    }
    for (String v : values) {
      if (v.equals(name)
          || kind == Action.ObjectKind.ROLE
              && (v.equals("*") || Roles.isSelfOrDescendant(name, v))) {
        return true;
      }
    }
    return false;
  }

  /** True unless this entity is NONE: a matching ACL with a NONE entity denies. */
  boolean allows() {
    return type != Type.NONE;
  }

  @Override
  public String toString() {
    return type != null ? type.name() : values.stream().sorted().toList().toString();
  }
}
