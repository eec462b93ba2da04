package io.strata.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Identifies a task, chosen by its framework; unique within the framework. */
public record TaskId(@JsonValue String value) implements Comparable<TaskId> {
  @JsonCreator
  public TaskId {
    Ids.check("task id", value);
  }

  public static TaskId of(String value) {
    return new TaskId(value);
  }

  @Override
  public int compareTo(TaskId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
