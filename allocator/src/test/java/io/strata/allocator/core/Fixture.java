package io.strata.allocator.core;

import io.strata.api.AgentId;
import io.strata.api.AgentInfo;
import io.strata.api.FrameworkId;
import io.strata.api.FrameworkInfo;
import io.strata.api.Os;
import io.strata.api.ResourcePool;
import io.strata.api.Resources;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** A small driver for unit tests: builds agents and frameworks, runs cycles at a virtual time. */
final class Fixture {
  final HierarchicalAllocator allocator;
  Instant now = Instant.parse("2024-01-01T00:00:00Z");

  Fixture() {
    this(AllocationSettings.DEFAULTS, 42);
  }

  Fixture(AllocationSettings config, long seed) {
    allocator = new HierarchicalAllocator(config, seed);
  }

  /** {@code cpus:1;mem:512}; parts after {@code |} are reservations: {@code role=cpus:1;mem:64}. */
  static ResourcePool pool(String text) {
    String[] parts = text.split("\\|");
    Map<String, Resources> reserved = new TreeMap<>();
    for (int i = 1; i < parts.length; i++) {
      int eq = parts[i].indexOf('=');
      reserved.put(parts[i].substring(0, eq).trim(), Resources.parse(parts[i].substring(eq + 1)));
    }
    return new ResourcePool(Resources.parse(parts[0]), reserved);
  }

  AgentId agent(String name, String resources) {
    return agent(name, pool(resources), Map.of());
  }

  AgentId agent(String name, ResourcePool total, Map<FrameworkId, Map<String, ResourcePool>> used) {
    AgentId id = AgentId.of(name);
    allocator.addAgent(id, info(name, total), total, used);
    return id;
  }

  static AgentInfo info(String name, ResourcePool total) {
    return new AgentInfo(name, Os.LINUX, "amd64", total, null, null, null, null);
  }

  FrameworkId framework(String name, String... roles) {
    return framework(name, Set.of(), roles);
  }

  FrameworkId framework(String name, Set<FrameworkInfo.Capability> caps, String... roles) {
    FrameworkId id = FrameworkId.of(name);
    allocator.addFramework(id, frameworkInfo(name, caps, roles), Map.of(), true, Set.of());
    return id;
  }

  static FrameworkInfo frameworkInfo(
      String name, Set<FrameworkInfo.Capability> caps, String... roles) {
    return new FrameworkInfo(
        FrameworkId.of(name),
        name,
        "user",
        new LinkedHashSet<>(Arrays.asList(roles)),
        caps,
        null,
        null);
  }

  List<OfferGrant> allocate() {
    return allocator.allocate(now);
  }

  void advance(Duration d) {
    now = now.plus(d);
  }

  void decline(OfferGrant g, Duration refuse) {
    allocator.recoverResources(g.frameworkId(), g.agentId(), g.role(), g.resources(), refuse, now);
  }

  void giveBack(OfferGrant g) {
    decline(g, null);
  }
}
