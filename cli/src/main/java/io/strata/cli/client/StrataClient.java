package io.strata.cli.client;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.strata.api.client.AllocatorEndpoints;
import io.strata.api.client.ClusterTrust;
import io.strata.api.client.HttpTransport;
import io.strata.api.client.OperatorClient;
import io.strata.api.json.Codec;
import io.strata.cli.output.CliException;
import io.strata.cli.output.ExitCodes;
import io.strata.workloads.core.RolloutPlan;
import io.strata.workloads.framework.TaskView;
import io.strata.workloads.framework.WhyView;
import io.strata.workloads.jobs.JobView;
import io.strata.workloads.services.AppHistoryView;
import io.strata.workloads.services.AppView;
import io.strata.workloads.spec.AppSpec;
import io.strata.workloads.spec.JobSpec;
import io.strata.workloads.spec.WorkloadSpec;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;

/** The allocator's operator API and the built-in frameworks' API, as the CLI uses them. */
public final class StrataClient {
  private final HttpTransport http;
  private final OperatorClient operator;
  private final Target target;

  public StrataClient(Target target) {
    this.target = target;
    SSLContext tls = trust(target);
    // One for both: the leader one finds is where the other goes (HA addresses).
    AllocatorEndpoints allocators = AllocatorEndpoints.of(target.address());
    this.http = new HttpTransport(allocators, target.token(), Duration.ofSeconds(30), tls);
    this.operator = new OperatorClient(allocators, target.token(), tls);
  }

  /** The TLS context trusting the target's cluster CA; null for the JVM's default. */
  public static SSLContext trust(Target target) {
    return trust(target, false);
  }

  /**
   * The TLS context for agents' endpoints: certificates the target's cluster CA issued to agents;
   * null for the JVM's default.
   */
  public static SSLContext agentTrust(Target target) {
    return trust(target, true);
  }

  private static SSLContext trust(Target target, boolean agents) {
    if (target.caFile() == null) {
      return null;
    }
    try {
      ClusterTrust trust = ClusterTrust.read(target.caFile());
      return agents ? trust.agentContext() : trust.context();
    } catch (IOException e) {
      throw new CliException(
          ExitCodes.USAGE, "cannot read the CA file " + target.caFile() + ": " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new CliException(
          ExitCodes.USAGE, "the CA file " + target.caFile() + " " + e.getMessage());
    }
  }

  public Target target() {
    return target;
  }

  public OperatorClient operator() {
    return operator;
  }

  /** Creates or updates an app or a job; returns the server's answer ({@code change}...). */
  public Map<String, Object> submit(WorkloadSpec spec) {
    String path =
        switch (spec) {
          case AppSpec a -> "/v1/apps";
          case JobSpec j -> "/v1/jobs";
        };
    return send("POST", path, spec, new TypeReference<>() {});
  }

  /** What submitting {@code spec} would change, changing nothing. */
  public RolloutPlan plan(WorkloadSpec spec) {
    String path =
        switch (spec) {
          case AppSpec a -> "/v1/apps/" + enc(a.id()) + "/plan";
          case JobSpec j -> "/v1/jobs/" + enc(j.id()) + "/plan";
        };
    return send("POST", path, spec, new TypeReference<>() {});
  }

  public AppHistoryView history(String appId) {
    return send("GET", "/v1/apps/" + enc(appId) + "/history", null, new TypeReference<>() {});
  }

  /** Rolls an app back to {@code toVersion}'s task (null: the previous version's). */
  public Map<String, Object> rollback(String appId, Long toVersion) {
    return send(
        "POST",
        "/v1/apps/" + enc(appId) + "/rollback",
        toVersion == null ? Map.of() : Map.of("toVersion", toVersion),
        new TypeReference<>() {});
  }

  public List<AppView> apps() {
    return send("GET", "/v1/apps", null, new TypeReference<>() {});
  }

  public AppView app(String id) {
    return send("GET", "/v1/apps/" + enc(id), null, new TypeReference<>() {});
  }

  public Map<String, Object> scale(String id, int instances) {
    return send(
        "PUT",
        "/v1/apps/" + enc(id) + "/instances",
        Map.of("instances", instances),
        new TypeReference<>() {});
  }

  public void removeApp(String id) {
    send("DELETE", "/v1/apps/" + enc(id), null, new TypeReference<JsonNode>() {});
  }

  public List<JobView> jobs() {
    return send("GET", "/v1/jobs", null, new TypeReference<>() {});
  }

  public JobView job(String id) {
    return send("GET", "/v1/jobs/" + enc(id), null, new TypeReference<>() {});
  }

  public Map<String, Object> startJob(String id) {
    return send("POST", "/v1/jobs/" + enc(id) + "/runs", null, new TypeReference<>() {});
  }

  public void removeJob(String id) {
    send("DELETE", "/v1/jobs/" + enc(id), null, new TypeReference<JsonNode>() {});
  }

  public List<TaskView> tasks() {
    return send("GET", "/v1/workloads/tasks", null, new TypeReference<>() {});
  }

  public WhyView why(String id) {
    return send("GET", "/v1/workloads/why/" + enc(id), null, new TypeReference<>() {});
  }

  public void kill(String taskId) {
    send(
        "POST",
        "/v1/workloads/tasks/" + enc(taskId) + "/kill",
        null,
        new TypeReference<JsonNode>() {});
  }

  public Map<String, Object> workloadsStatus() {
    return send("GET", "/v1/workloads/status", null, new TypeReference<>() {});
  }

  private <T> T send(String method, String path, Object body, TypeReference<T> type) {
    return http.send(method, path, body, Codec.JSON.mapper().constructType(type), Map.of());
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
