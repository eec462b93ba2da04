package io.strata.workloads.core;

import java.time.Instant;

/**
 * One version of an app as it was deployed: its spec, when and why it was applied, by whom, and how
 * its deployment ended.
 *
 * @param version the app's version (task ids {@code <app>.v<version>.<nonce>})
 * @param spec the spec applied at this version (with the instance count it last had)
 * @param at when it was applied
 * @param cause what made it: {@code created}, {@code updated: command, env.GREETING} or {@code
 *     rollback to v2}
 * @param by the principal who applied it; null when not known
 * @param outcome how its deployment went
 * @param outcomeAt when the outcome was last set
 * @param reason why it failed; null otherwise
 */
public record Revision<S>(
    long version,
    S spec,
    Instant at,
    String cause,
    String by,
    Outcome outcome,
    Instant outcomeAt,
    String reason) {

  /** How a version's deployment went. */
  public enum Outcome {
    /** Instances are being replaced or started. */
    DEPLOYING,
    /** Every wanted instance of the version ran (and was healthy, with a health check). */
    SUCCEEDED,
    /** Its instances kept failing before the deployment completed. */
    FAILED,
    /** A rollback replaced it with an earlier version's spec. */
    ROLLED_BACK,
    /** A newer version replaced it before its deployment completed. */
    SUPERSEDED
  }

  Revision<S> with(Outcome o, Instant when, String why) {
    return new Revision<>(version, spec, at, cause, by, o, when, why);
  }

  Revision<S> withSpec(S newSpec) {
    return new Revision<>(version, newSpec, at, cause, by, outcome, outcomeAt, reason);
  }
}
