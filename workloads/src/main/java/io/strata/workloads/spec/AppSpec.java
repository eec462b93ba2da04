package io.strata.workloads.spec;

import com.fasterxml.jackson.annotation.JsonAlias;
import io.strata.api.ContainerInfo;
import io.strata.api.HealthCheck;
import io.strata.api.Os;
import io.strata.api.json.Checks;
import io.strata.workloads.core.Backoff;
import io.strata.workloads.core.Constraint;
import io.strata.workloads.core.DeploymentHistory;
import io.strata.workloads.core.PlacementStrategy;
import io.strata.workloads.core.RollingUpdate;
import java.util.List;
import java.util.Map;

/**
 * A long-running service (like a Marathon app): {@code instances} copies of one task, kept running,
 * restarted with exponential backoff when they die, moved to a new version by a rolling update.
 *
 * <pre>
 * kind: service
 * id: web
 * instances: 3
 * command: busybox httpd -f -p $PORT0 -h /srv   # or args: [...], and/or container: {image: ...}
 * resources: {cpus: 0.1, mem: 32Mi, ports: 1}
 * env: {GREETING: hello}
 * os: linux                                      # or windows
 * healthCheck: {type: HTTP, portIndex: 0, path: /, intervalMillis: 2000}
 * constraints: [{attribute: hostname, operator: UNIQUE}]
 * placement: SPREAD                              # or BINPACK
 * restart: {initialDelayMillis: 1000, maxDelayMillis: 60000, factor: 2}
 * upgrade: {maxSurge: 1, maxUnavailable: 0, minHealthyMillis: 10000}
 * revisionHistoryLimit: 10                       # versions kept (strata rollout history, rollback)
 * </pre>
 */
public record AppSpec(
    String kind,
    String id,
    Integer instances,
    String command,
    List<String> args,
    ContainerInfo container,
    ResourceSpec resources,
    Map<String, String> env,
    Os os,
    HealthCheck healthCheck,
    List<Constraint> constraints,
    PlacementStrategy placement,
    Backoff restart,
    RollingUpdate upgrade,
    Map<String, String> labels,
    String user,
    @JsonAlias("killGracePeriod") Long killGracePeriodMillis,
    Integer revisionHistoryLimit)
    implements WorkloadSpec {

  public static final int MAX_INSTANCES = 1_000_000;

  public AppSpec {
    kind = kind == null ? SERVICE : kind;
    instances = instances == null ? 1 : instances;
    os = os == null ? Os.LINUX : os;
    placement = placement == null ? PlacementStrategy.SPREAD : placement;
    restart = restart == null ? Backoff.DEFAULT : restart;
    upgrade = upgrade == null ? RollingUpdate.DEFAULT : upgrade;
    constraints = constraints == null ? List.of() : constraints;
    env = env == null ? Map.of() : env;
    labels = labels == null ? Map.of() : labels;
    revisionHistoryLimit =
        revisionHistoryLimit == null ? DeploymentHistory.DEFAULT_LIMIT : revisionHistoryLimit;
    Checks c = new Checks();
    c.require(kind.equals(SERVICE), "kind", "must be '" + SERVICE + "' for an app");
    TaskTemplate.checkId(c, id);
    c.range("instances", instances, 0, MAX_INSTANCES);
    c.range("revisionHistoryLimit", revisionHistoryLimit, 1, DeploymentHistory.MAX_LIMIT);
    TaskTemplate.check(c, command, args, container, resources, constraints, healthCheck);
    c.done();
    constraints = List.copyOf(constraints);
  }

  /** The same app with another instance count (scaling does not make a new version). */
  public AppSpec withInstances(int n) {
    return with(n, revisionHistoryLimit);
  }

  /**
   * The same app with another instance count and history limit: the settings that change no task
   * (applied without a new version).
   */
  public AppSpec with(int n, int historyLimit) {
    return new AppSpec(
        kind,
        id,
        n,
        command,
        args,
        container,
        resources,
        env,
        os,
        healthCheck,
        constraints,
        placement,
        restart,
        upgrade,
        labels,
        user,
        killGracePeriodMillis,
        historyLimit);
  }

  /**
   * True if the two differ in more than the instance count and history limit: a rolling update is
   * needed.
   */
  public boolean differsInTaskFrom(AppSpec other) {
    return !with(0, 1).equals(other.with(0, 1));
  }

  @Override
  public HealthCheck taskHealthCheck() {
    return healthCheck;
  }
}
