package io.strata.api.operator;

import io.strata.api.AgentId;
import io.strata.api.FrameworkId;
import io.strata.api.TaskId;
import io.strata.api.TaskState;
import java.util.List;

/**
 * The instances behind one name of the {@code strata.} DNS zone ({@code GET /v1/endpoints}): what
 * the leading allocator's DNS server answers, with the instances it leaves out and why.
 *
 * @param kind {@code service} (an app of the built-in services framework), {@code job} (a job of
 *     the built-in jobs framework) or {@code task} (a task of any other framework)
 * @param name the app or job id; for a task, {@code <framework name>/<task name>}
 * @param frameworkId the framework running the instances
 * @param dnsName the A name, e.g. {@code web.services.strata.}
 * @param srvName the SRV name of the first port, e.g. {@code _web._tcp.services.strata.}
 * @param instances the active tasks (not yet ended), sorted by task id
 */
public record ServiceEndpoints(
    String kind,
    String name,
    FrameworkId frameworkId,
    String dnsName,
    String srvName,
    List<Instance> instances) {

  public ServiceEndpoints {
    instances = instances == null ? List.of() : List.copyOf(instances);
  }

  /**
   * One instance.
   *
   * @param host its agent's hostname
   * @param address its agent's IP address as DNS answers it; null when the allocator could not
   *     resolve the agent's advertised host
   * @param ports its host ports in order: {@code PORT0}, {@code PORT1}...
   * @param state its last known state
   * @param healthy what its health check last said; null without a health check or verdict
   * @param serving whether DNS answers with it: RUNNING, healthy (or no health check), with an
   *     address
   */
  public record Instance(
      TaskId taskId,
      AgentId agentId,
      String host,
      String address,
      List<Integer> ports,
      TaskState state,
      Boolean healthy,
      boolean serving) {

    public Instance {
      ports = ports == null ? List.of() : List.copyOf(ports);
    }
  }
}
