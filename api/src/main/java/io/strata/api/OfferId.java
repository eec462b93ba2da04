package io.strata.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Identifies an offer, assigned by the allocator. */
public record OfferId(@JsonValue String value) implements Comparable<OfferId> {
  @JsonCreator
  public OfferId {
    Ids.check("offer id", value);
  }

  public static OfferId of(String value) {
    return new OfferId(value);
  }

  @Override
  public int compareTo(OfferId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
