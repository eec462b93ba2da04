package io.strata.workloads.core;

import io.strata.api.json.Checks;

/**
 * How one run of a job proceeds, as a Kubernetes Job: it succeeds once {@code completions} tasks
 * have exited 0, running at most {@code parallelism} at a time; it fails once more than {@code
 * retries} tasks have failed, or when it has been active longer than {@code activeDeadlineMillis}
 * (never, if null). A failed task is retried after an exponential {@code backoff}.
 */
public record RunPolicy(
    Integer completions,
    Integer parallelism,
    Integer retries,
    Backoff backoff,
    Long activeDeadlineMillis) {

  public RunPolicy {
    completions = completions == null ? 1 : completions;
    parallelism = parallelism == null ? 1 : parallelism;
    retries = retries == null ? 3 : retries;
    backoff = backoff == null ? Backoff.DEFAULT : backoff;
    Checks c =
        new Checks()
            .range("completions", completions, 1, 1_000_000)
            .range("parallelism", parallelism, 1, 100_000)
            .range("retries", retries, 0, 1_000_000);
    if (activeDeadlineMillis != null) {
      c.range("activeDeadlineMillis", activeDeadlineMillis, 1, 365L * 86_400_000);
    }
    c.done();
  }
}
