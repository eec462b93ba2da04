package io.strata.workloads.services;

import io.strata.api.AgentId;
import io.strata.api.PortRange;
import io.strata.api.Resources;
import io.strata.api.TaskId;
import io.strata.workloads.core.InstancePhase;
import io.strata.workloads.core.PendingReason;
import io.strata.workloads.core.ServiceInstance;
import io.strata.workloads.framework.TaskView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** One instance of an app, as the services framework tracks it (event-loop thread only). */
final class Instance {
  final TaskId id;
  final long version;
  final boolean hasHealthCheck;
  final Instant createdAt;
  InstancePhase phase = InstancePhase.PENDING;
  String state = "PENDING";
  Boolean healthy;
  AgentId agent;
  String hostname;
  Resources resources;
  Instant since;
  Instant runningSince;
  Instant killRequestedAt;
  boolean killExpected;
  boolean replace;
  String message;
  List<PendingReason> reasons = List.of();

  Instance(TaskId id, long version, boolean hasHealthCheck, Instant now) {
    this.id = id;
    this.version = version;
    this.hasHealthCheck = hasHealthCheck;
    this.createdAt = now;
    this.since = now;
  }

  /** Running, and passing its health check if it has one. */
  boolean isHealthy() {
    return phase == InstancePhase.RUNNING && (!hasHealthCheck || Boolean.TRUE.equals(healthy));
  }

  ServiceInstance forPlanner() {
    return new ServiceInstance(id, version, phase, isHealthy(), replace);
  }

  TaskView view(String appId) {
    List<Integer> ports = new ArrayList<>();
    if (resources != null) {
      for (PortRange r : resources.ports().ranges()) {
        for (int p = r.begin(); p <= r.end(); p++) {
          ports.add(p);
        }
      }
    }
    return new TaskView(
        id.value(),
        "service",
        appId,
        "v" + version,
        phase == InstancePhase.KILLING ? "KILLING" : state,
        hasHealthCheck ? healthy : null,
        agent,
        hostname,
        ports,
        since,
        phase == InstancePhase.PENDING ? reasons : List.of(),
        message);
  }
}
