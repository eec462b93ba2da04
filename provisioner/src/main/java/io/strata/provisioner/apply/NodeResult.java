package io.strata.provisioner.apply;

/**
 * What became of one node in an apply or destroy.
 *
 * @param reason why it failed or did not join; null otherwise
 */
public record NodeResult(String node, Outcome outcome, String reason) {
  public enum Outcome {
    /** Registered with the allocator. */
    READY,
    /** Runs, but its agent did not join in time. */
    NOT_JOINED,
    /** Could not be created (or deleted); the rest of the cluster is usable. */
    FAILED,
    DELETED,
    /** Already as the spec wants; not touched. */
    UNCHANGED
  }

  public boolean failed() {
    return outcome == Outcome.FAILED || outcome == Outcome.NOT_JOINED;
  }
}
