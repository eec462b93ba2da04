package io.strata.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Identifies a framework, assigned by the allocator at its first subscription. */
public record FrameworkId(@JsonValue String value) implements Comparable<FrameworkId> {
  @JsonCreator
  public FrameworkId {
    Ids.check("framework id", value);
  }

  public static FrameworkId of(String value) {
    return new FrameworkId(value);
  }

  @Override
  public int compareTo(FrameworkId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
