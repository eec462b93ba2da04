package io.strata.allocator.sim;

import io.strata.allocator.core.AllocationSettings;
import io.strata.allocator.core.HierarchicalAllocator;
import io.strata.allocator.core.OfferGrant;
import io.strata.api.AgentId;
import io.strata.api.AgentInfo;
import io.strata.api.FrameworkId;
import io.strata.api.FrameworkInfo;
import io.strata.api.Offer;
import io.strata.api.OfferId;
import io.strata.api.Os;
import io.strata.api.PortRanges;
import io.strata.api.ResourcePool;
import io.strata.api.Resources;
import io.strata.api.Roles;
import io.strata.api.TaskId;
import io.strata.api.TaskInfo;
import io.strata.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A deterministic simulation around the real allocator core: a virtual clock, fake agents and fake
 * frameworks speaking the api types (AgentInfo, FrameworkInfo, Offer, TaskInfo). Each {@link
 * #cycle()} runs one allocation cycle, turns grants into offers, lets every framework answer by its
 * {@link FrameworkPolicy} (launch tasks, give back the rest, decline with a filter) and records
 * what each received. Same seed and same calls, same history.
 */
public final class Simulation {
  /** What one cycle did. */
  public record CycleReport(Instant at, List<Offer> offers, int tasksLaunched) {}

  private final HierarchicalAllocator allocator;
  private final MutableClock clock;
  private final Map<AgentId, AgentInfo> agents = new LinkedHashMap<>();
  private final Map<FrameworkId, SimFramework> frameworks = new LinkedHashMap<>();
  private long nextOfferId;
  private int cycles;
  private boolean recordOffers = true;
  private long allocatorNanos;

  public Simulation(AllocationSettings config, long seed) {
    this(config, seed, Instant.parse("2024-01-01T00:00:00Z"));
  }

  public Simulation(AllocationSettings config, long seed, Instant start) {
    this.allocator = new HierarchicalAllocator(config, seed);
    this.clock = new MutableClock(start);
  }

  public HierarchicalAllocator allocator() {
    return allocator;
  }

  public MutableClock clock() {
    return clock;
  }

  public int cycles() {
    return cycles;
  }

  /** Wall time spent in {@link HierarchicalAllocator#allocate} so far (for benchmarks only). */
  public long allocatorNanos() {
    return allocatorNanos;
  }

  /** Whether frameworks keep every offer they receive (default); long runs turn it off. */
  public Simulation recordOffers(boolean record) {
    this.recordOffers = record;
    return this;
  }

  // ---- agents ---------------------------------------------------------------------------------

  /** Adds an agent with resources in Mesos' text form, e.g. {@code cpus:4;mem:8192}. */
  public AgentId addAgent(String name, String resources) {
    return addAgent(name, ResourcePool.unreserved(Resources.parse(resources)), Map.of());
  }

  public AgentId addAgent(String name, ResourcePool total, Map<String, String> attributes) {
    return addAgent(name, total, attributes, Map.of());
  }

  /** Adds an agent that already runs resources for frameworks (as after a master failover). */
  public AgentId addAgent(
      String name,
      ResourcePool total,
      Map<String, String> attributes,
      Map<FrameworkId, Map<String, ResourcePool>> used) {
    AgentId id = AgentId.of(name);
    AgentInfo info =
        new AgentInfo(name, Os.LINUX, "amd64", total, attributes, Set.of(), null, "sim");
    agents.put(id, info);
    allocator.addAgent(id, info, total, used);
    return id;
  }

  public AgentInfo agentInfo(AgentId id) {
    return agents.get(id);
  }

  public void removeAgent(AgentId id) {
    agents.remove(id);
    allocator.removeAgent(id);
    for (SimFramework f : frameworks.values()) {
      f.running.removeIf(t -> t.agent().equals(id));
    }
  }

  // ---- frameworks -----------------------------------------------------------------------------

  public SimFramework addFramework(
      String name, FrameworkPolicy policy, Set<String> roles, FrameworkInfo.Capability... caps) {
    FrameworkId id = FrameworkId.of(name);
    FrameworkInfo info = new FrameworkInfo(id, name, "sim", roles, Set.of(caps), null, null);
    SimFramework f = new SimFramework(info, policy);
    frameworks.put(id, f);
    allocator.addFramework(id, info, Map.of(), true, Set.of());
    return f;
  }

  public SimFramework addFramework(String name, String role, FrameworkPolicy policy) {
    return addFramework(name, policy, Set.of(role));
  }

  public SimFramework framework(FrameworkId id) {
    return frameworks.get(id);
  }

  public List<SimFramework> frameworks() {
    return List.copyOf(frameworks.values());
  }

  public void removeFramework(SimFramework f) {
    frameworks.remove(f.id());
    allocator.removeFramework(f.id());
  }

  // ---- tasks ----------------------------------------------------------------------------------

  /** The task ends; its resources go back to the allocator (no filter). */
  public void finishTask(SimTask task) {
    SimFramework f = frameworks.get(task.framework());
    if (f == null || !f.running.remove(task)) {
      throw new IllegalArgumentException("not running: " + task.info().taskId());
    }
    allocator.recoverResources(
        task.framework(), task.agent(), task.role(), task.resources(), null, null);
  }

  public List<SimTask> runningTasks() {
    List<SimTask> out = new ArrayList<>();
    frameworks.values().forEach(f -> out.addAll(f.running));
    return out;
  }

  // ---- cycles ---------------------------------------------------------------------------------

  /** One allocation cycle at the current virtual time, with every framework answering. */
  public CycleReport cycle() {
    cycles++;
    Instant now = clock.instant();
    long t0 = System.nanoTime();
    List<OfferGrant> grants = allocator.allocate(now);
    allocatorNanos += System.nanoTime() - t0;
    List<Offer> offers = new ArrayList<>(grants.size());
    int launched = 0;
    for (OfferGrant g : grants) {
      Offer offer = toOffer(g);
      offers.add(offer);
      SimFramework f = frameworks.get(g.frameworkId());
      f.offerCount++;
      if (recordOffers) {
        f.offers.add(offer);
      }
      launched += answer(f, offer, now);
    }
    return new CycleReport(now, offers, launched);
  }

  /**
   * Runs cycles, advancing the clock by {@code step} between them, until a cycle makes no offer and
   * the allocator expects no further work, or {@code maxCycles} ran. Returns cycles run.
   */
  public int runUntilQuiet(int maxCycles, Duration step) {
    for (int i = 1; i <= maxCycles; i++) {
      CycleReport r = cycle();
      if (r.offers().isEmpty() && !allocator.hasWork()) {
        return i;
      }
      clock.advance(step);
    }
    return maxCycles;
  }

  private Offer toOffer(OfferGrant g) {
    AgentInfo agent = agents.get(g.agentId());
    return new Offer(
        OfferId.of("o" + ++nextOfferId),
        g.frameworkId(),
        g.agentId(),
        agent.hostname(),
        agent.os(),
        agent.attributes(),
        g.role(),
        g.resources());
  }

  private int answer(SimFramework f, Offer offer, Instant now) {
    FrameworkPolicy p = f.policy();
    ResourcePool left = offer.resources();
    int n = 0;
    while (n < p.maxTasksPerOffer() && f.launched < p.maxTasks() && !p.task().isEmpty()) {
      ResourcePool used = take(left, offer.role(), p.task());
      if (used == null) {
        break;
      }
      left = left.minus(used);
      TaskInfo task =
          TaskInfo.command(TaskId.of(f.id().value() + "-" + f.launched), "sleep 3600", p.task());
      f.running.add(new SimTask(task, f.id(), offer.agentId(), offer.role(), used));
      f.launched++;
      n++;
    }
    if (n == 0) {
      f.declined++;
    }
    Duration refuse = n == 0 ? p.refuseOnDecline() : p.refuseAfterAccept();
    if (!left.isEmpty()) {
      allocator.recoverResources(f.id(), offer.agentId(), offer.role(), left, refuse, now);
    }
    if (p.suppressWhenDone() && f.done() && !f.suppressed) {
      allocator.suppress(f.id(), Set.of());
      f.suppressed = true;
    }
    return n;
  }

  /**
   * The resources a task of {@code need} takes from an offer for {@code role}: reservations for the
   * role and its ancestors first (most specific first), then unreserved ones. Null if it does not
   * fit.
   */
  public static ResourcePool take(ResourcePool offer, String role, Resources need) {
    long[] left = {need.millicpus(), need.memoryBytes(), need.diskBytes(), need.gpus()};
    PortRanges portsLeft = need.ports();
    Map<String, Resources> reserved = new TreeMap<>();
    List<String> usable = new ArrayList<>();
    for (String r : offer.reserved().keySet()) {
      if (Roles.isSelfOrDescendant(role, r)) {
        usable.add(r);
      }
    }
    usable.sort(Comparator.comparingInt(String::length).reversed());
    for (String r : usable) {
      Resources got = takePart(offer.reservedFor(r), left, portsLeft);
      portsLeft = portsLeft.minus(got.ports());
      if (!got.isEmpty()) {
        reserved.put(r, got);
      }
    }
    Resources unreserved = takePart(offer.unreserved(), left, portsLeft);
    portsLeft = portsLeft.minus(unreserved.ports());
    for (long l : left) {
      if (l > 0) {
        return null;
      }
    }
    if (!portsLeft.isEmpty()) {
      return null;
    }
    return new ResourcePool(unreserved, reserved);
  }

  private static Resources takePart(Resources have, long[] left, PortRanges portsLeft) {
    long[] got = {
      Math.min(have.millicpus(), left[0]),
      Math.min(have.memoryBytes(), left[1]),
      Math.min(have.diskBytes(), left[2]),
      Math.min(have.gpus(), left[3])
    };
    for (int i = 0; i < 4; i++) {
      left[i] -= got[i];
    }
    return new Resources(got[0], got[1], got[2], got[3], have.ports().intersect(portsLeft));
  }
}
