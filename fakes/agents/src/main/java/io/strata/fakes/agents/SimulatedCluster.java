package io.strata.fakes.agents;

import io.strata.api.AgentInfo;
import io.strata.api.Os;
import io.strata.api.PortRanges;
import io.strata.api.ResourcePool;
import io.strata.api.Resources;
import io.strata.api.client.HttpTransport;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** A set of {@link ProtocolAgent}s sharing one HTTP client and executors. */
public final class SimulatedCluster implements AutoCloseable {
  private final HttpTransport http;
  private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(2);
  private final ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();
  private final java.util.concurrent.Semaphore inFlight =
      new java.util.concurrent.Semaphore(Integer.getInteger("strata.sim.statusesInFlight", 256));
  private final List<ProtocolAgent> agents = new ArrayList<>();

  public SimulatedCluster(URI allocator, String joinToken) {
    this.http = new HttpTransport(allocator, joinToken);
  }

  public ProtocolAgent add(
      String hostname, Os os, String resources, Map<String, String> attributes) {
    return add(hostname, os, resources, attributes, null);
  }

  /** An agent that registers {@code endpoint} as its own address (never contacted). */
  public ProtocolAgent add(
      String hostname, Os os, String resources, Map<String, String> attributes, String endpoint) {
    Resources r = Resources.parse(resources).withPorts(PortRanges.range(31000, 32000));
    AgentInfo info =
        new AgentInfo(
            hostname,
            os,
            "amd64",
            ResourcePool.unreserved(r),
            attributes,
            os == Os.WINDOWS
                ? Set.of("job-objects", "kill-tasks")
                : Set.of("cgroups-v1", "kill-tasks"),
            endpoint,
            "simulated");
    ProtocolAgent a = new ProtocolAgent(http, info, timers, senders, inFlight).start();
    agents.add(a);
    return a;
  }

  public List<ProtocolAgent> agents() {
    return agents;
  }

  @Override
  public void close() {
    agents.forEach(ProtocolAgent::close);
    timers.shutdownNow();
    senders.shutdownNow();
  }
}
