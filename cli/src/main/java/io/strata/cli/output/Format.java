package io.strata.cli.output;

/** How a command prints what it shows: a table for people, JSON or YAML for programs. */
public enum Format {
  TABLE,
  JSON,
  YAML
}
