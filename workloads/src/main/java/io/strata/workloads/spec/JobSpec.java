package io.strata.workloads.spec;

import com.fasterxml.jackson.annotation.JsonAlias;
import io.strata.api.ContainerInfo;
import io.strata.api.Os;
import io.strata.api.json.Checks;
import io.strata.workloads.core.Backoff;
import io.strata.workloads.core.Constraint;
import io.strata.workloads.core.PlacementStrategy;
import io.strata.workloads.core.RunPolicy;
import io.strata.workloads.core.Schedule;
import java.util.List;
import java.util.Map;

/**
 * A batch job (like a Kubernetes Job or a Metronome job): each run needs {@code completions} tasks
 * to exit 0, at most {@code parallelism} at a time, tolerating {@code retries} failures (retried
 * after {@code backoff}), within {@code activeDeadlineMillis}. Without a {@code schedule} a job
 * runs once when submitted; with one it runs on its cron schedule. The last {@code historyLimit}
 * finished runs are kept.
 *
 * <pre>
 * kind: job
 * id: batch
 * command: sh -c 'echo task $STRATA_TASK_ID; sleep 1'
 * resources: {cpus: 0.1, mem: 16Mi}
 * completions: 20
 * parallelism: 5
 * retries: 3
 * backoff: {initialDelayMillis: 1000}
 * activeDeadlineMillis: 600000
 * schedule: {cron: "*&#47;5 * * * *", concurrencyPolicy: FORBID, timeZone: UTC}
 * </pre>
 */
public record JobSpec(
    String kind,
    String id,
    String command,
    List<String> args,
    ContainerInfo container,
    ResourceSpec resources,
    Map<String, String> env,
    Os os,
    List<Constraint> constraints,
    PlacementStrategy placement,
    Integer completions,
    Integer parallelism,
    Integer retries,
    Backoff backoff,
    Long activeDeadlineMillis,
    Schedule schedule,
    Integer historyLimit,
    Map<String, String> labels,
    String user,
    @JsonAlias("killGracePeriod") Long killGracePeriodMillis)
    implements WorkloadSpec {

  public JobSpec {
    kind = kind == null ? JOB : kind;
    os = os == null ? Os.LINUX : os;
    placement = placement == null ? PlacementStrategy.SPREAD : placement;
    constraints = constraints == null ? List.of() : constraints;
    env = env == null ? Map.of() : env;
    labels = labels == null ? Map.of() : labels;
    completions = completions == null ? 1 : completions;
    parallelism = parallelism == null ? 1 : parallelism;
    retries = retries == null ? 3 : retries;
    backoff = backoff == null ? Backoff.DEFAULT : backoff;
    historyLimit = historyLimit == null ? 10 : historyLimit;
    Checks c = new Checks();
    c.require(kind.equals(JOB), "kind", "must be '" + JOB + "' for a job");
    TaskTemplate.checkId(c, id);
    TaskTemplate.check(c, command, args, container, resources, constraints, null);
    c.range("historyLimit", historyLimit, 1, 1000);
    Integer comp = completions;
    Integer par = parallelism;
    Integer ret = retries;
    Backoff back = backoff;
    Long deadline = activeDeadlineMillis;
    c.nested("", () -> new RunPolicy(comp, par, ret, back, deadline));
    c.done();
    constraints = List.copyOf(constraints);
  }

  public RunPolicy policy() {
    return new RunPolicy(completions, parallelism, retries, backoff, activeDeadlineMillis);
  }
}
