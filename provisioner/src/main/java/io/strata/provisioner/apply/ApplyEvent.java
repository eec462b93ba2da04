package io.strata.provisioner.apply;

import java.time.Duration;

/**
 * One line of the machine-readable event stream, shaped like Terraform's {@code -json} UI: {@code
 * apply_start}, {@code apply_progress}, {@code apply_complete}, {@code apply_errored}, plus {@code
 * planned_change}, {@code change_summary} and {@code node_ready} for whole-run milestones.
 *
 * @param resource e.g. {@code node.demo-linux-0}, {@code network.demo}
 * @param action create, replace, delete, join
 */
public record ApplyEvent(
    String type, String resource, String action, Duration elapsed, String message) {
  public static final String START = "apply_start";
  public static final String PROGRESS = "apply_progress";
  public static final String COMPLETE = "apply_complete";
  public static final String ERRORED = "apply_errored";
  public static final String PLANNED = "planned_change";
  public static final String SUMMARY = "change_summary";
  public static final String READY = "node_ready";
}
