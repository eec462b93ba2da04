package io.strata.workloads.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The versions of one app, oldest first, as {@code kubectl rollout history} and {@code nomad job
 * history} show them: at most {@code limit} kept (the oldest go first; the current one always
 * stays). Immutable: every change returns a new history. The last revision is the current version.
 *
 * <p>Outcomes: a new version is {@code DEPLOYING}; it {@code SUCCEEDED} once every wanted instance
 * of it runs healthy; it {@code FAILED} when its instances failed {@link #FAILURES_TO_FAIL} times
 * before that (a failed version that later becomes healthy still succeeds). When a newer version is
 * applied, a current version still deploying is {@code SUPERSEDED}; a rollback marks the version it
 * leaves {@code ROLLED_BACK}, whatever its outcome was.
 */
public final class DeploymentHistory<S> {
  public static final int DEFAULT_LIMIT = 10;
  public static final int MAX_LIMIT = 1000;

  /** Failures of a deploying version's instances (since it was applied) that fail it. */
  public static final int FAILURES_TO_FAIL = 3;

  private final List<Revision<S>> revisions;

  private DeploymentHistory(List<Revision<S>> revisions) {
    this.revisions = List.copyOf(revisions);
  }

  public static <S> DeploymentHistory<S> empty() {
    return new DeploymentHistory<>(List.of());
  }

  /** A history as stored: revisions in any order; kept sorted by version. */
  public static <S> DeploymentHistory<S> of(List<Revision<S>> revisions) {
    List<Revision<S>> sorted = new ArrayList<>(revisions);
    sorted.sort((x, y) -> Long.compare(x.version(), y.version()));
    return new DeploymentHistory<>(sorted);
  }

  public List<Revision<S>> revisions() {
    return revisions;
  }

  public Optional<Revision<S>> current() {
    return revisions.isEmpty() ? Optional.empty() : Optional.of(revisions.getLast());
  }

  /** Whether the current version's outcome may still change (deploying, or failed so far). */
  public boolean awaitsOutcome() {
    return current()
        .map(
            r ->
                r.outcome() == Revision.Outcome.DEPLOYING || r.outcome() == Revision.Outcome.FAILED)
        .orElse(false);
  }

  public Optional<Revision<S>> get(long version) {
    return revisions.stream().filter(r -> r.version() == version).findFirst();
  }

  /**
   * A new version applied. The version must be newer than every kept one.
   *
   * @param rollback whether it restores an earlier version (the current one is then {@code
   *     ROLLED_BACK})
   * @param limit how many revisions to keep, at least 1
   */
  public DeploymentHistory<S> deployed(
      long version, S spec, Instant at, String cause, String by, boolean rollback, int limit) {
    if (current().isPresent() && version <= current().get().version()) {
      throw new IllegalArgumentException(
          "version " + version + " is not newer than v" + current().get().version());
    }
    List<Revision<S>> out = new ArrayList<>(revisions);
    if (!out.isEmpty()) {
      Revision<S> last = out.getLast();
      if (rollback) {
        out.set(out.size() - 1, last.with(Revision.Outcome.ROLLED_BACK, at, null));
      } else if (last.outcome() == Revision.Outcome.DEPLOYING) {
        out.set(out.size() - 1, last.with(Revision.Outcome.SUPERSEDED, at, null));
      }
    }
    out.add(new Revision<>(version, spec, at, cause, by, Revision.Outcome.DEPLOYING, at, null));
    int keep = Math.max(1, limit);
    return new DeploymentHistory<>(out.subList(Math.max(0, out.size() - keep), out.size()));
  }

  /** The current version's spec changed without a new version (a scale): kept as it runs. */
  public DeploymentHistory<S> respecified(S spec) {
    if (revisions.isEmpty()) {
      return this;
    }
    List<Revision<S>> out = new ArrayList<>(revisions);
    out.set(out.size() - 1, out.getLast().withSpec(spec));
    return new DeploymentHistory<>(out);
  }

  /**
   * What the current version's instances look like now; returns this history when its outcome does
   * not change.
   *
   * @param complete every wanted instance of the current version runs (healthy), none outdated
   * @param failures unexpected ends of the current version's instances since it was applied
   * @param lastFailure how the last one ended (for the reason); may be null
   */
  public DeploymentHistory<S> observed(
      boolean complete, int failures, String lastFailure, Instant now) {
    Optional<Revision<S>> cur = current();
    if (cur.isEmpty()) {
      return this;
    }
    Revision<S> r = cur.get();
    Revision<S> next = r;
    if (complete
        && (r.outcome() == Revision.Outcome.DEPLOYING || r.outcome() == Revision.Outcome.FAILED)) {
      next = r.with(Revision.Outcome.SUCCEEDED, now, null);
    } else if (!complete
        && r.outcome() == Revision.Outcome.DEPLOYING
        && failures >= FAILURES_TO_FAIL) {
      next =
          r.with(
              Revision.Outcome.FAILED,
              now,
              failures
                  + " instance failures before the deployment completed"
                  + (lastFailure == null ? "" : "; last: " + lastFailure));
    }
    if (next == r) {
      return this;
    }
    List<Revision<S>> out = new ArrayList<>(revisions);
    out.set(out.size() - 1, next);
    return new DeploymentHistory<>(out);
  }

  /**
   * The revision a rollback restores: {@code to}, or without it the newest one before the current.
   *
   * @throws IllegalArgumentException saying why there is none (the message is for the user)
   */
  public Revision<S> rollbackTarget(Long to) {
    if (revisions.isEmpty()) {
      throw new IllegalArgumentException("no version is recorded");
    }
    long current = revisions.getLast().version();
    if (to == null) {
      if (revisions.size() < 2) {
        throw new IllegalArgumentException(
            "v" + current + " is the only version kept: there is nothing to roll back to");
      }
      return revisions.get(revisions.size() - 2);
    }
    if (to == current) {
      throw new IllegalArgumentException("v" + to + " is the current version");
    }
    return get(to)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "v"
                        + to
                        + " is not in the history (kept: "
                        + revisions.stream().map(r -> "v" + r.version()).toList()
                        + ")"));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DeploymentHistory<?> h && h.revisions.equals(revisions);
  }

  @Override
  public int hashCode() {
    return revisions.hashCode();
  }

  @Override
  public String toString() {
    return "DeploymentHistory" + revisions;
  }
}
