package io.strata.benchmarks;

import io.strata.allocator.core.AllocationSettings;
import io.strata.allocator.core.HierarchicalAllocator;
import io.strata.allocator.core.OfferGrant;
import io.strata.api.AgentId;
import io.strata.api.AgentInfo;
import io.strata.api.FrameworkId;
import io.strata.api.FrameworkInfo;
import io.strata.api.Os;
import io.strata.api.PortRange;
import io.strata.api.PortRanges;
import io.strata.api.ResourcePool;
import io.strata.api.Resources;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The cluster of Mesos' {@code HierarchicalAllocator_BENCHMARK_Test.DeclineOffers}: every agent has
 * {@code cpus:24;mem:4096;disk:4096;ports:[31000-32000]} of which {@code
 * cpus:16;mem:2014;disk:1024} and 16 port ranges are used by one framework (round robin); all
 * frameworks are in one role. Each round, every outstanding offer is declined with a long filter
 * and one allocation cycle runs, which offers each agent to the next framework that has not
 * declined it yet.
 */
public final class DeclineOffersCluster {
  static final String ROLE = "bench";
  static final Resources AGENT = Resources.parse("cpus:24;mem:4096;disk:4096;ports:[31000-32000]");
  static final Resources USED =
      Resources.parse("cpus:16;mem:2014;disk:1024").withPorts(fragments());

  /** Mesos declines with refuse_seconds INT_MAX; the allocator caps it (365 days). */
  static final Duration REFUSE = Duration.ofSeconds(Integer.MAX_VALUE);

  final HierarchicalAllocator allocator;
  final List<FrameworkId> frameworks = new ArrayList<>();
  Instant now = Instant.parse("2024-01-01T00:00:00Z");
  private List<OfferGrant> outstanding;
  private int extraAgents;

  public DeclineOffersCluster(int agents, int frameworkCount, long seed) {
    allocator = new HierarchicalAllocator(AllocationSettings.DEFAULTS, seed);
    for (int i = 0; i < frameworkCount; i++) {
      FrameworkId id = FrameworkId.of("framework-" + i);
      frameworks.add(id);
      allocator.addFramework(
          id,
          new FrameworkInfo(id, id.value(), "bench", Set.of(ROLE), Set.of(), null, null),
          Map.of(),
          true,
          Set.of());
    }
    ResourcePool total = ResourcePool.unreserved(AGENT);
    ResourcePool used = ResourcePool.unreserved(USED);
    for (int i = 0; i < agents; i++) {
      AgentId id = AgentId.of("agent-" + i);
      allocator.addAgent(
          id,
          info(id, total),
          total,
          Map.of(frameworks.get(i % frameworkCount), Map.of(ROLE, used)));
    }
    outstanding = allocator.allocate(now);
  }

  private static AgentInfo info(AgentId id, ResourcePool total) {
    return new AgentInfo(id.value(), Os.LINUX, "amd64", total, null, null, null, null);
  }

  /** 16 ranges spread over 31000-32000, as Mesos' {@code fragment(range, 16)}. */
  private static PortRanges fragments() {
    List<PortRange> ranges = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      int begin = 31000 + i * 62;
      ranges.add(new PortRange(begin, begin + 30));
    }
    return PortRanges.of(ranges);
  }

  /** Declines every outstanding offer with the long filter; returns how many. */
  public int declineAll() {
    for (OfferGrant g : outstanding) {
      allocator.recoverResources(
          g.frameworkId(), g.agentId(), g.role(), g.resources(), REFUSE, now);
    }
    int n = outstanding.size();
    outstanding = List.of();
    return n;
  }

  /** One allocation cycle (one second later); its grants become the outstanding offers. */
  public List<OfferGrant> cycle() {
    now = now.plusSeconds(1);
    outstanding = allocator.allocate(now);
    return outstanding;
  }

  /** A cycle over every agent, as Mesos' periodic allocation (same state, nothing changed). */
  public List<OfferGrant> fullCycle() {
    allocator.reconsiderAllAgents();
    return cycle();
  }

  /** Adds one more agent of the same kind, unused. */
  public AgentId addAgent() {
    AgentId id = AgentId.of("extra-" + extraAgents++);
    ResourcePool total = ResourcePool.unreserved(AGENT);
    allocator.addAgent(id, info(id, total), total, Map.of());
    return id;
  }

  public void removeAgent(AgentId id) {
    allocator.removeAgent(id);
  }

  public HierarchicalAllocator allocator() {
    return allocator;
  }
}
