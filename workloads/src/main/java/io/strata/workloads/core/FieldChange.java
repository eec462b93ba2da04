package io.strata.workloads.core;

/**
 * One difference between two specs, as {@code nomad job plan} shows it: the field's path ({@code
 * resources.mem}, {@code env.GREETING}, {@code constraints[0].value}, {@code labels["a.b"]}), what
 * happened to it, and its value before and after (null where absent). Values are plain trees: maps,
 * lists, strings, numbers, booleans.
 */
public record FieldChange(String path, Kind kind, Object before, Object after) {
  public enum Kind {
    ADDED,
    REMOVED,
    CHANGED
  }

  public static FieldChange added(String path, Object after) {
    return new FieldChange(path, Kind.ADDED, null, after);
  }

  public static FieldChange removed(String path, Object before) {
    return new FieldChange(path, Kind.REMOVED, before, null);
  }

  public static FieldChange changed(String path, Object before, Object after) {
    return new FieldChange(path, Kind.CHANGED, before, after);
  }
}
