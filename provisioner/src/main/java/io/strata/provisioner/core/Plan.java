package io.strata.provisioner.core;

import java.util.List;

/**
 * What apply (or destroy) will do, in order: network first, then allocators, then agents, then
 * deletions. {@code unchanged} counts the recorded nodes that stay as they are.
 */
public record Plan(List<Step> steps, int unchanged) {
  public Plan {
    steps = List.copyOf(steps);
  }

  public boolean isEmpty() {
    return steps.isEmpty();
  }

  public long creates() {
    return steps.stream()
        .filter(s -> s instanceof Step.CreateNode || s instanceof Step.CreateNetwork)
        .count();
  }

  public long changes() {
    return steps.stream().filter(s -> s instanceof Step.ReplaceNode).count();
  }

  public long deletes() {
    return steps.stream()
        .filter(s -> s instanceof Step.DeleteNode || s instanceof Step.DeleteNetwork)
        .count();
  }

  /** Terraform's summary line. */
  public String summary() {
    return "Plan: "
        + creates()
        + " to add, "
        + changes()
        + " to change, "
        + deletes()
        + " to destroy"
        + (unchanged > 0 ? " (" + unchanged + " unchanged)" : "")
        + ".";
  }
}
