package io.strata.provisioner.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where a cluster's machines come from. */
public enum CloudKind {
  AZURE,
  OPENSTACK,
  LOCAL;

  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static CloudKind parse(String text) {
    for (CloudKind kind : values()) {
      if (kind.name().equalsIgnoreCase(text)) {
        return kind;
      }
    }
    throw new IllegalArgumentException(
        "must be one of [azure, openstack, local] (was '" + text + "')");
  }
}
