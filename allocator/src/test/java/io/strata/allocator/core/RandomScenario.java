package io.strata.allocator.core;

import io.strata.api.AgentId;
import io.strata.api.AgentInfo;
import io.strata.api.FrameworkId;
import io.strata.api.FrameworkInfo;
import io.strata.api.Os;
import io.strata.api.PortRanges;
import io.strata.api.ResourcePool;
import io.strata.api.Resources;
import io.strata.api.Roles;
import io.strata.api.operator.Quota;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Drives an allocator through a random but reproducible sequence of events (agents and frameworks
 * coming and going, declines with filters, partial accepts, finished tasks, suppress/revive, quota,
 * weights, reservations) and keeps its own record of what every framework holds, so that tests can
 * check the allocator against it after every step. The sequence depends only on the seed.
 */
final class RandomScenario {
  static final List<String> ROLES = List.of("a", "b", "a/x", "a/y", "c");

  final HierarchicalAllocator allocator;
  final SplittableRandom random;
  final List<String> log = new ArrayList<>();
  Instant now = Instant.parse("2024-01-01T00:00:00Z");

  /** What each framework holds, by agent and role, as the grants and our recoveries imply. */
  final Map<FrameworkId, Map<AgentId, Map<String, ResourcePool>>> held = new TreeMap<>();

  final Map<AgentId, ResourcePool> agents = new TreeMap<>();
  final Map<FrameworkId, FrameworkInfo> frameworks = new TreeMap<>();
  private int nextAgent;
  private int nextFramework;

  /** Called after each allocation cycle with the grants and the free resources before it. */
  Consumer<CycleCheck> onCycle = c -> {};

  record CycleCheck(List<OfferGrant> grants, Map<AgentId, ResourcePool> availableBefore) {}

  RandomScenario(long seed, long allocatorSeed) {
    this.random = new SplittableRandom(seed);
    this.allocator = new HierarchicalAllocator(AllocationSettings.DEFAULTS, allocatorSeed);
  }

  void run(int steps) {
    for (int i = 0; i < 4; i++) {
      addAgent();
    }
    for (int i = 0; i < 3; i++) {
      addFramework();
    }
    for (int i = 0; i < steps; i++) {
      step();
    }
  }

  void step() {
    int pick = random.nextInt(100);
    if (pick < 30) {
      allocate();
    } else if (pick < 45) {
      recoverSome();
    } else if (pick < 50) {
      addAgent();
    } else if (pick < 53) {
      removeAgent();
    } else if (pick < 56) {
      toggleAgent();
    } else if (pick < 60) {
      addFramework();
    } else if (pick < 62) {
      removeFramework();
    } else if (pick < 66) {
      toggleFramework();
    } else if (pick < 72) {
      suppressOrRevive();
    } else if (pick < 77) {
      setQuota();
    } else if (pick < 80) {
      setWeight();
    } else if (pick < 88) {
      reserveOrUnreserve();
    } else if (pick < 92) {
      updateTotal();
    } else if (pick < 94) {
      updateFramework();
    } else if (pick < 95) {
      updateAttributes();
    } else {
      now = now.plusMillis(random.nextInt(1, 8000));
      log.add("advance to " + now);
    }
  }

  // ---- events ---------------------------------------------------------------------------------

  void allocate() {
    Map<AgentId, ResourcePool> before = new TreeMap<>();
    for (AgentId a : agents.keySet()) {
      before.put(a, allocator.agentAvailable(a));
    }
    List<OfferGrant> grants = allocator.allocate(now);
    log.add("allocate -> " + grants);
    for (OfferGrant g : grants) {
      held.computeIfAbsent(g.frameworkId(), k -> new TreeMap<>())
          .computeIfAbsent(g.agentId(), k -> new TreeMap<>())
          .merge(g.role(), g.resources(), ResourcePool::plus);
    }
    onCycle.accept(new CycleCheck(grants, before));
  }

  private void recoverSome() {
    List<Object[]> holdings = holdings();
    if (holdings.isEmpty()) {
      return;
    }
    Object[] h = holdings.get(random.nextInt(holdings.size()));
    FrameworkId f = (FrameworkId) h[0];
    AgentId a = (AgentId) h[1];
    String role = (String) h[2];
    ResourcePool pool = (ResourcePool) h[3];
    ResourcePool part = random.nextBoolean() ? pool : half(pool);
    Duration refuse =
        switch (random.nextInt(4)) {
          case 0 -> null;
          case 1 -> Duration.ofSeconds(5);
          case 2 -> Duration.ofMillis(random.nextInt(1, 20000));
          default -> Duration.ofDays(1);
        };
    allocator.recoverResources(f, a, role, part, refuse, now);
    subtractHeld(f, a, role, part);
    log.add("recover " + f + " " + a + " " + role + " " + part + " refuse " + refuse);
  }

  /** Roughly half of a pool's scalars, all its reservations' halves, the lower half of ports. */
  private static ResourcePool half(ResourcePool pool) {
    Map<String, Resources> reserved = new TreeMap<>();
    pool.reserved().forEach((role, r) -> reserved.put(role, halfOf(r)));
    return new ResourcePool(halfOf(pool.unreserved()), reserved);
  }

  private static Resources halfOf(Resources r) {
    return new Resources(
        r.millicpus() / 2,
        r.memoryBytes() / 2,
        r.diskBytes() / 2,
        r.gpus() / 2,
        r.ports().first(r.ports().count() / 2));
  }

  private void addAgent() {
    AgentId id = AgentId.of("agent" + nextAgent++);
    Resources unreserved =
        new Resources(
            1000L * random.nextInt(0, 9),
            1024L * 1024 * random.nextInt(0, 9000),
            random.nextInt(3) == 0 ? 1024L * 1024 * random.nextInt(1, 5000) : 0,
            random.nextInt(6) == 0 ? random.nextInt(1, 3) : 0,
            random.nextBoolean() ? PortRanges.range(31000, 31000 + random.nextInt(1, 50)) : null);
    Map<String, Resources> reserved = new TreeMap<>();
    if (random.nextInt(3) == 0) {
      reserved.put(
          ROLES.get(random.nextInt(ROLES.size())),
          Resources.of(1000L * random.nextInt(1, 4), 1024L * 1024 * random.nextInt(1, 4000)));
    }
    ResourcePool total = new ResourcePool(unreserved, reserved);
    agents.put(id, total);
    allocator.addAgent(
        id,
        new AgentInfo(id.value(), Os.LINUX, "amd64", total, null, null, null, null),
        total,
        Map.of());
    log.add("addAgent " + id + " " + total);
  }

  private void removeAgent() {
    if (agents.isEmpty()) {
      return;
    }
    AgentId id = pick(agents.keySet());
    allocator.removeAgent(id);
    agents.remove(id);
    held.values().forEach(byAgent -> byAgent.remove(id));
    log.add("removeAgent " + id);
  }

  private void toggleAgent() {
    if (agents.isEmpty()) {
      return;
    }
    AgentId id = pick(agents.keySet());
    if (allocator.isAgentActive(id)) {
      allocator.deactivateAgent(id);
    } else {
      allocator.activateAgent(id);
    }
    log.add("toggleAgent " + id);
  }

  private void addFramework() {
    FrameworkId id = FrameworkId.of("fw" + nextFramework++);
    Set<String> roles = new TreeSet<>();
    int n = random.nextInt(1, 3);
    for (int i = 0; i < n; i++) {
      roles.add(ROLES.get(random.nextInt(ROLES.size())));
    }
    Set<FrameworkInfo.Capability> caps =
        random.nextBoolean() ? Set.of(FrameworkInfo.Capability.GPU_RESOURCES) : Set.of();
    FrameworkInfo info = new FrameworkInfo(id, id.value(), "u", roles, caps, null, null);
    frameworks.put(id, info);
    allocator.addFramework(id, info, Map.of(), true, Set.of());
    log.add("addFramework " + id + " " + roles + " " + caps);
  }

  private void removeFramework() {
    if (frameworks.isEmpty()) {
      return;
    }
    FrameworkId id = pick(frameworks.keySet());
    allocator.removeFramework(id);
    frameworks.remove(id);
    held.remove(id);
    log.add("removeFramework " + id);
  }

  private void toggleFramework() {
    if (frameworks.isEmpty()) {
      return;
    }
    FrameworkId id = pick(frameworks.keySet());
    if (allocator.isFrameworkActive(id)) {
      allocator.deactivateFramework(id);
    } else {
      allocator.activateFramework(id);
    }
    log.add("toggleFramework " + id);
  }

  private void suppressOrRevive() {
    if (frameworks.isEmpty()) {
      return;
    }
    FrameworkId id = pick(frameworks.keySet());
    Set<String> roles = random.nextBoolean() ? Set.of() : Set.of(pick(frameworks.get(id).roles()));
    if (random.nextBoolean()) {
      allocator.suppress(id, roles);
      log.add("suppress " + id + " " + roles);
    } else {
      allocator.revive(id, roles);
      log.add("revive " + id + " " + roles);
    }
  }

  private void setQuota() {
    // Top-level roles only: guarantees of nested roles must add up (the server validates that).
    String role = List.of("a", "b", "c").get(random.nextInt(3));
    if (random.nextInt(5) == 0) {
      // Mesos' form: null = no limit on that kind, 0 = none of it.
      QuotaLimit limit =
          new QuotaLimit(
              random.nextBoolean() ? 0L : null,
              random.nextBoolean() ? 0L : (long) random.nextInt(1, 8) << 30,
              null,
              random.nextBoolean() ? 0L : null);
      allocator.setQuota(role, Resources.EMPTY, limit);
      log.add("setQuota " + role + " " + limit);
      return;
    }
    Quota quota =
        switch (random.nextInt(4)) {
          case 0 -> Quota.NONE;
          case 1 -> new Quota(Resources.of(1000L * random.nextInt(1, 6), 1L << 30), null);
          case 2 -> new Quota(Resources.EMPTY, Resources.of(1000L * random.nextInt(1, 6), 0));
          default ->
              new Quota(
                  Resources.of(1000, 512L << 20),
                  Resources.of(1000L * random.nextInt(2, 8), 8L << 30));
        };
    allocator.setQuota(role, quota);
    log.add("setQuota " + role + " " + quota);
  }

  private void setWeight() {
    String role = ROLES.get(random.nextInt(ROLES.size()));
    double w = 0.5 + random.nextInt(4);
    allocator.setWeight(role, w);
    log.add("setWeight " + role + " " + w);
  }

  private void reserveOrUnreserve() {
    List<Object[]> holdings = holdings();
    if (holdings.isEmpty()) {
      return;
    }
    Object[] h = holdings.get(random.nextInt(holdings.size()));
    FrameworkId f = (FrameworkId) h[0];
    AgentId a = (AgentId) h[1];
    String role = (String) h[2];
    ResourcePool pool = (ResourcePool) h[3];
    Resources r = halfOf(pool.unreserved()).withPorts(null);
    // The server reserves and unreserves only what it offered, which an agent's total holds even
    // when the agent is over-committed; held resources beyond the total cannot be converted.
    ResourcePool total = allocator.agentTotal(a);
    if (random.nextBoolean() && !r.isEmpty() && total.unreserved().contains(r)) {
      allocator.reserve(f, a, role, r);
      replaceHeld(
          f, a, role, pool.minus(ResourcePool.unreserved(r)).plus(ResourcePool.reserved(role, r)));
      agents.put(a, allocator.agentTotal(a));
      log.add("reserve " + f + " " + a + " " + role + " " + r);
    } else if (!pool.reservedFor(role).isEmpty()
        && total.reservedFor(role).contains(pool.reservedFor(role))) {
      Resources back = pool.reservedFor(role);
      allocator.unreserve(f, a, role, back);
      replaceHeld(
          f,
          a,
          role,
          pool.minus(ResourcePool.reserved(role, back)).plus(ResourcePool.unreserved(back)));
      agents.put(a, allocator.agentTotal(a));
      log.add("unreserve " + f + " " + a + " " + role + " " + back);
    }
  }

  private void updateFramework() {
    if (frameworks.isEmpty()) {
      return;
    }
    FrameworkId id = pick(frameworks.keySet());
    Set<String> roles = new TreeSet<>();
    roles.add(ROLES.get(random.nextInt(ROLES.size())));
    if (random.nextBoolean()) {
      roles.add(ROLES.get(random.nextInt(ROLES.size())));
    }
    FrameworkInfo old = frameworks.get(id);
    FrameworkInfo info =
        new FrameworkInfo(id, id.value(), "u", roles, old.capabilities(), null, null);
    Set<String> suppressed = random.nextBoolean() ? Set.of() : Set.of(pick(roles));
    allocator.updateFramework(id, info, suppressed);
    frameworks.put(id, info);
    log.add("updateFramework " + id + " " + roles + " suppressed " + suppressed);
  }

  private void updateAttributes() {
    if (agents.isEmpty()) {
      return;
    }
    AgentId id = pick(agents.keySet());
    allocator.updateAgent(
        id,
        new AgentInfo(
            id.value(),
            Os.LINUX,
            "amd64",
            agents.get(id),
            Map.of("zone", "z" + random.nextInt(3)),
            null,
            null,
            null));
    log.add("updateAgent " + id);
  }

  private void updateTotal() {
    if (agents.isEmpty()) {
      return;
    }
    AgentId id = pick(agents.keySet());
    ResourcePool allocated = allocator.agentAllocated(id);
    ResourcePool total;
    if (random.nextInt(3) == 0) {
      // It re-registered with less than its tasks use, and without its reservations:
      // over-committed.
      Resources all = allocated.total();
      Resources smaller =
          all.minusClamped(
              Resources.of(1000L * random.nextInt(0, 3), (1L << 20) * random.nextInt(0, 512)));
      total =
          ResourcePool.unreserved(
              random.nextBoolean() ? smaller : smaller.withPorts(all.ports().first(2)));
    } else {
      total =
          allocated.plus(
              ResourcePool.unreserved(Resources.of(1000L * random.nextInt(0, 3), 1L << 28)));
    }
    allocator.updateAgentTotal(id, total);
    agents.put(id, total);
    log.add("updateTotal " + id + " " + total);
  }

  // ---- bookkeeping ----------------------------------------------------------------------------

  /** Every (framework, agent, role, pool) held, in a stable order. */
  List<Object[]> holdings() {
    List<Object[]> out = new ArrayList<>();
    held.forEach(
        (f, byAgent) ->
            byAgent.forEach(
                (a, byRole) ->
                    byRole.forEach((role, pool) -> out.add(new Object[] {f, a, role, pool}))));
    return out;
  }

  private void subtractHeld(FrameworkId f, AgentId a, String role, ResourcePool part) {
    ResourcePool rest = held.get(f).get(a).get(role).minus(part);
    replaceHeld(f, a, role, rest);
  }

  private void replaceHeld(FrameworkId f, AgentId a, String role, ResourcePool pool) {
    Map<String, ResourcePool> byRole = held.get(f).get(a);
    if (pool.isEmpty()) {
      byRole.remove(role);
      if (byRole.isEmpty()) {
        held.get(f).remove(a);
      }
    } else {
      byRole.put(role, pool);
    }
  }

  /** What the scenario believes framework {@code f} holds, as the allocator reports it. */
  Map<AgentId, Map<String, ResourcePool>> expectedHoldings(FrameworkId f) {
    Map<AgentId, Map<String, ResourcePool>> out = new LinkedHashMap<>();
    held.getOrDefault(f, Map.of()).forEach((a, byRole) -> out.put(a, new TreeMap<>(byRole)));
    return out;
  }

  /** Quota consumption of a role: reservations in its subtree plus unreserved it holds. */
  long[] consumption(String role) {
    long[] c = Scalars.zero();
    for (ResourcePool total : agents.values()) {
      total
          .reserved()
          .forEach(
              (r, res) -> {
                if (Roles.isSelfOrDescendant(r, role)) {
                  Scalars.add(c, res);
                }
              });
    }
    held.values()
        .forEach(
            byAgent ->
                byAgent
                    .values()
                    .forEach(
                        byRole ->
                            byRole.forEach(
                                (r, pool) -> {
                                  if (Roles.isSelfOrDescendant(r, role)) {
                                    Scalars.add(c, pool.unreserved());
                                  }
                                })));
    return c;
  }

  private <T> T pick(Set<T> set) {
    int i = random.nextInt(set.size());
    for (T t : set) {
      if (i-- == 0) {
        return t;
      }
    }
    throw new IllegalStateException();
  }
}
