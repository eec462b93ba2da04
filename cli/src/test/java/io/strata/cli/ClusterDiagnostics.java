package io.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.strata.cli.client.StrataClient;
import io.strata.cli.client.Target;
import io.strata.workloads.core.JobRun;
import io.strata.workloads.core.RunStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.ThrowingRunnable;

/**
 * What an end-to-end test prints when a wait on a {@code strata up} cluster gives up: the cluster's
 * state as a user would look at it ({@code strata apps}, each app with its instances and recent
 * ends, {@code strata jobs}, {@code strata ps --all}, {@code strata nodes}, {@code strata why} for
 * every app and job) and the tail of the allocator's and each agent's log. A timeout that says only
 * "3 healthy web instances" leaves nothing to find the cause with.
 *
 * @param env the environment the test runs {@code strata} with ({@code STRATA_DATA_DIR} set)
 * @param data the cluster's data dir (its {@code logs/})
 */
public record ClusterDiagnostics(Map<String, String> env, Path data) {
  static final int LOG_TAIL_LINES = 60;

  /** Waits until {@code condition} holds; on timeout fails with the cluster's state. */
  public void until(String what, Duration atMost, Callable<Boolean> condition) {
    try {
      await(what).atMost(atMost).until(condition);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(e.getMessage() + "\n" + report(), e);
    }
  }

  /** Waits until {@code assertion} passes; on timeout fails with the cluster's state. */
  public void untilAsserted(String what, Duration atMost, ThrowingRunnable assertion) {
    try {
      await(what).atMost(atMost).untilAsserted(assertion);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(e.getMessage() + "\n" + report(), e);
    }
  }

  /** The cluster's state and the tails of its logs, as text. */
  /**
   * Submits a one-task job {@code id} through {@code strata run} (its spec written into {@code
   * dir}) and waits until its first run has SUCCEEDED: the end-to-end tests' proof that the cluster
   * runs work.
   */
  public void runsAJob(Path dir, String id, Duration atMost) throws Exception {
    Path job = dir.resolve(id + ".yaml");
    Files.writeString(
        job,
        """
        kind: job
        id: %s
        command: echo hello from $STRATA_TASK_ID
        resources: {cpus: 0.1, mem: 16Mi}
        completions: 1
        """
            .formatted(id));
    Cli.Result run = Cli.run(env, "run", "-f", job.toString());
    assertThat(run.code()).as(run.toString()).isZero();
    StrataClient client = new StrataClient(Target.resolve(null, null, null, null, env));
    until(
        "the job " + id,
        atMost,
        () -> {
          List<JobRun> runs = client.job(id).runs();
          return !runs.isEmpty() && runs.get(0).status() == RunStatus.SUCCEEDED;
        });
  }

  public String report() {
    StringBuilder out = new StringBuilder("==== the cluster's state ====\n");
    List<String> ids = new ArrayList<>();
    Cli.Result apps = section(out, "apps");
    ids.addAll(firstColumn(apps));
    for (String app : firstColumn(apps)) {
      section(out, "apps", app);
    }
    Cli.Result jobs = section(out, "jobs");
    ids.addAll(firstColumn(jobs));
    section(out, "ps", "--all");
    section(out, "nodes");
    for (String id : ids) {
      section(out, "why", id);
    }
    Path logs = data.resolve("logs");
    try (Stream<Path> files = Files.list(logs)) {
      for (Path log : files.filter(f -> f.toString().endsWith(".log")).sorted().toList()) {
        out.append("---- tail of ").append(log).append('\n');
        out.append(tail(log, LOG_TAIL_LINES));
      }
    } catch (IOException e) {
      out.append("---- no logs in ").append(logs).append(": ").append(e).append('\n');
    }
    return out.append("==== end of the cluster's state ====").toString();
  }

  private Cli.Result section(StringBuilder out, String... args) {
    out.append("---- strata ").append(String.join(" ", args)).append('\n');
    try {
      Cli.Result r = Cli.run(env, args);
      out.append(r.out());
      if (r.code() != 0 || !r.err().isEmpty()) {
        out.append("(exit ").append(r.code()).append(") ").append(r.err());
      }
      return r;
    } catch (RuntimeException e) {
      out.append("failed: ").append(e).append('\n');
      return new Cli.Result(1, "", e.toString());
    }
  }

  /** The ids in a table's first column (below its header). */
  static List<String> firstColumn(Cli.Result table) {
    if (table.code() != 0) {
      return List.of();
    }
    return table
        .out()
        .lines()
        .skip(1)
        .map(String::strip)
        .filter(l -> !l.isEmpty())
        .map(l -> l.split("\\s+")[0])
        .toList();
  }

  static String tail(Path file, int lines) {
    try {
      List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size())) + "\n";
    } catch (IOException e) {
      return "(cannot read: " + e + ")\n";
    }
  }
}
