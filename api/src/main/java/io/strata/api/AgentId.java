package io.strata.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Identifies an agent, assigned by the allocator at its first registration. */
public record AgentId(@JsonValue String value) implements Comparable<AgentId> {
  @JsonCreator
  public AgentId {
    Ids.check("agent id", value);
  }

  public static AgentId of(String value) {
    return new AgentId(value);
  }

  @Override
  public int compareTo(AgentId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
