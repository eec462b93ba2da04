package io.strata.allocator.core;

import io.strata.api.AgentId;
import io.strata.api.AgentInfo;
import io.strata.api.FrameworkId;
import io.strata.api.FrameworkInfo;
import io.strata.api.ResourcePool;
import io.strata.api.Resources;
import io.strata.api.Roles;
import io.strata.api.operator.Quota;
import io.strata.api.operator.RoleView;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The two-level allocator's first level: Mesos' hierarchical DRF allocator as a pure object. The
 * server feeds it events (agents and frameworks come and go, resources come back, frameworks
 * suppress, revive, reserve) and calls {@link #allocate(Instant)} to get {@link OfferGrant}s, which
 * it turns into offers. The core owns the allocations (per framework, role and agent), the agents'
 * totals, offer filters, suppression, role weights and quota; the server owns offers and tasks.
 *
 * <p>Semantics follow Mesos 1.x so that Mesos operators get no surprises: DRF across hierarchical
 * roles, frameworks ordered by share inside a role (ties: fewer allocations, then name), agents
 * visited in a seeded shuffle, whole-agent offers, quota guarantees and limits in two stages,
 * reservations counting toward share and quota, refuse filters that only block subsets of what was
 * refused, minimum allocatable amounts, GPU agents only for GPU-capable frameworks. See the module
 * README for where and why Strata differs.
 *
 * <p>Not thread-safe: one owner calls it (the server serialises events). No method blocks, does I/O
 * or reads a clock; time is passed in. The same seed and the same calls give the same grants.
 *
 * <p>Faults: an argument that is malformed (null, an invalid role, a negative duration) throws
 * {@link IllegalArgumentException}; a call that contradicts the allocator's state (unknown or
 * duplicate id, giving back more than is allocated) throws {@link IllegalStateException} and
 * changes nothing. Both are bugs in the caller. An agent whose total shrinks below its allocations
 * is not a fault: it is over-committed, see {@link #updateAgentTotal}.
 */
public final class HierarchicalAllocator {
  private final AllocationSettings config;
  private final Cluster cluster;
  private final AllocationCycle cycle;
  private final FrameworkEvents frameworkEvents;
  private final CoreViews views;
  private Instant lastCycleAt;

  /** Filters due by this time are dropped by a cycle: the start of the cycle before the last. */
  private long expiryThresholdMillis = Long.MIN_VALUE;

  private CycleStats lastCycle = CycleStats.NONE;

  /**
   * @param config behaviour ({@link AllocationSettings#DEFAULTS} for Mesos' defaults)
   * @param seed seeds the agent shuffle; the same seed and calls give the same grants
   */
  public HierarchicalAllocator(AllocationSettings config, long seed) {
    this.config = require(config, "config");
    this.cluster = new Cluster(config);
    this.cycle = new AllocationCycle(cluster, new SeededRandom(seed));
    this.frameworkEvents = new FrameworkEvents(cluster);
    this.views = new CoreViews(cluster);
  }

  /** The configuration it was built with. */
  public AllocationSettings config() {
    return config;
  }

  // ---- agents ---------------------------------------------------------------------------------

  /**
   * Adds an agent. Its resources are considered for offers in the next cycle (only this agent's:
   * adding an agent does not re-examine the others).
   *
   * @param total everything the agent has, with its static and dynamic reservations
   * @param used resources already in use on it (an agent re-registering after a restart of the
   *     allocator), per framework and role. Frameworks not added yet are remembered and counted
   *     toward their roles' shares; {@link #addFramework} later completes them. If they exceed
   *     {@code total} the agent starts over-committed (see {@link #updateAgentTotal}).
   * @throws IllegalStateException if the agent is already added
   */
  public void addAgent(
      AgentId id,
      AgentInfo info,
      ResourcePool total,
      Map<FrameworkId, Map<String, ResourcePool>> used) {
    require(id, "agent id");
    require(info, "agent info");
    require(total, "total");
    if (cluster.agents.containsKey(id)) {
      throw new IllegalStateException("agent " + id + " is already added");
    }
    if (used != null) {
      for (Map<String, ResourcePool> byRole : used.values()) {
        for (Map.Entry<String, ResourcePool> e : byRole.entrySet()) {
          Roles.check(e.getKey());
          require(e.getValue(), "used resources");
        }
      }
    }
    Agent agent = cluster.newAgent(id, info, total);
    if (used != null) {
      new TreeSet<>(used.keySet())
          .forEach(
              fw -> {
                Framework f = cluster.frameworkOrPlaceholder(fw);
                new java.util.TreeMap<>(used.get(fw))
                    .forEach((role, pool) -> cluster.attach(clientFor(f, role), agent, pool));
              });
      cluster.refreshAvailable(agent);
    }
  }

  private Client clientFor(Framework f, String role) {
    Client c = cluster.clientOrCreate(f, role);
    if (f.added() && f.roles().contains(role)) {
      c.subscribed = true;
    }
    return c;
  }

  /**
   * Replaces an agent's description (hostname, attributes, capabilities). If its attributes
   * changed, every offer filter on it is dropped (frameworks may now want it; as Mesos).
   *
   * @throws IllegalStateException if the agent is unknown
   */
  public void updateAgent(AgentId id, AgentInfo info) {
    require(info, "agent info");
    Agent a = cluster.agent(require(id, "agent id"));
    boolean attributesChanged = !a.info.attributes().equals(info.attributes());
    a.info = info;
    if (attributesChanged && a.filters != null) {
      for (int c : a.filters.clients()) {
        cluster.clientsByIndex.get(c).filteredAgents--;
      }
      a.filters = null;
      cluster.changed(a);
    }
  }

  /**
   * Replaces an agent's total, e.g. after it re-registered with other resources. What is allocated
   * on the agent stays allocated. The agent is re-examined in the next cycle.
   *
   * <p>A total smaller than the allocations is accepted, as Mesos does: the agent is then
   * over-committed ({@link #agentOvercommitted}). Its free resources never go negative and nothing
   * beyond its total is offered: each part (unreserved, each reservation) offers only what it has
   * beyond that part's allocations, ports in use stay taken, and free plus allocated never exceeds
   * the total in any scalar quantity. As allocations are released it returns to exact accounting.
   *
   * @throws IllegalStateException if the agent is unknown
   */
  public void updateAgentTotal(AgentId id, ResourcePool total) {
    require(total, "total");
    cluster.setTotal(cluster.agent(require(id, "agent id")), total);
  }

  /**
   * Removes an agent: its allocations vanish (the server rescinds the offers and marks the tasks),
   * its resources leave the cluster total, its filters are dropped.
   *
   * @throws IllegalStateException if the agent is unknown
   */
  public void removeAgent(AgentId id) {
    cluster.dropAgent(cluster.agent(require(id, "agent id")));
  }

  /**
   * Stops offering the agent's resources (draining, unreachable) while keeping its allocations and
   * its place in the cluster total. Idempotent.
   *
   * @throws IllegalStateException if the agent is unknown
   */
  public void deactivateAgent(AgentId id) {
    cluster.agent(require(id, "agent id")).active = false;
  }

  /**
   * Offers the agent's resources again; it is examined in the next cycle. Idempotent.
   *
   * @throws IllegalStateException if the agent is unknown
   */
  public void activateAgent(AgentId id) {
    Agent a = cluster.agent(require(id, "agent id"));
    if (!a.active) {
      a.active = true;
      cluster.changed(a);
    }
  }

  // ---- frameworks -----------------------------------------------------------------------------

  /**
   * Adds a framework (first subscription, or re-adding after an allocator restart). Every agent is
   * re-examined in the next cycle if it is active.
   *
   * @param info its roles (it receives offers for each) and capabilities
   * @param used resources it already holds per agent and role. Where an agent already reported an
   *     allocation of this framework and role ({@link #addAgent}), the agent's report is kept;
   *     otherwise the resources are allocated now and must be free on the agent.
   * @param active false for a framework known from state but not connected (no offers until {@link
   *     #activateFramework})
   * @param suppressedRoles roles it does not want offers for, a subset of its roles
   * @throws IllegalArgumentException if {@code info.id()} names another framework or suppressed
   *     roles are not among its roles
   * @throws IllegalStateException if the framework is already added, an agent in {@code used} is
   *     unknown, or {@code used} is not free there
   */
  public void addFramework(
      FrameworkId id,
      FrameworkInfo info,
      Map<AgentId, Map<String, ResourcePool>> used,
      boolean active,
      Set<String> suppressedRoles) {
    frameworkEvents.add(
        require(id, "framework id"),
        require(info, "framework info"),
        used,
        active,
        suppressedRoles == null ? Set.of() : suppressedRoles);
  }

  /**
   * Replaces a framework's description and suppressed roles (re-subscription with new roles or
   * capabilities, UPDATE_FRAMEWORK). Roles it left get no more offers and keep counting their
   * allocations until those are recovered; roles that stopped being suppressed have their filters
   * cleared (as a revive).
   *
   * @throws IllegalArgumentException if the id differs or suppressed roles are not among its roles
   * @throws IllegalStateException if the framework is unknown
   */
  public void updateFramework(FrameworkId id, FrameworkInfo info, Set<String> suppressedRoles) {
    frameworkEvents.update(
        require(id, "framework id"),
        require(info, "framework info"),
        suppressedRoles == null ? Set.of() : suppressedRoles);
  }

  /**
   * A disconnected framework came back: offers resume (except for suppressed roles). Idempotent.
   *
   * @throws IllegalStateException if the framework is unknown
   */
  public void activateFramework(FrameworkId id) {
    frameworkEvents.setActive(require(id, "framework id"), true);
  }

  /**
   * The framework disconnected: no offers, allocations kept (its tasks keep running), its offer
   * filters dropped (as Mesos). Idempotent.
   *
   * @throws IllegalStateException if the framework is unknown
   */
  public void deactivateFramework(FrameworkId id) {
    frameworkEvents.setActive(require(id, "framework id"), false);
  }

  /**
   * Removes a framework (teardown, failover timeout): everything allocated to it becomes free and
   * its agents are re-examined. Also removes a framework only known from agents' reports of used
   * resources.
   *
   * @throws IllegalStateException if the framework is unknown
   */
  public void removeFramework(FrameworkId id) {
    frameworkEvents.remove(require(id, "framework id"));
  }

  /**
   * The framework wants no offers for these roles (all its roles if empty) until it revives.
   *
   * @throws IllegalArgumentException if a role is not one of the framework's roles
   * @throws IllegalStateException if the framework is unknown
   */
  public void suppress(FrameworkId id, Set<String> roles) {
    frameworkEvents.suppress(require(id, "framework id"), roles == null ? Set.of() : roles);
  }

  /**
   * The framework wants offers again for these roles (all its roles if empty): they stop being
   * suppressed and its offer filters for them are cleared. Every agent is re-examined.
   *
   * @throws IllegalArgumentException if a role is not one of the framework's roles
   * @throws IllegalStateException if the framework is unknown
   */
  public void revive(FrameworkId id, Set<String> roles) {
    frameworkEvents.revive(require(id, "framework id"), roles == null ? Set.of() : roles);
  }

  // ---- allocations ----------------------------------------------------------------------------

  /**
   * Gives resources allocated to a framework back to the agent's free pool: a declined or rescinded
   * offer, the unused part of an accepted one, the resources of a finished task. The agent is
   * re-examined in the next cycle.
   *
   * <p>If {@code refuse} is positive, an offer filter is installed: the framework is not offered,
   * for this role on this agent, any resources that are a subset of {@code resources} until {@code
   * now + refuse} (capped at {@link AllocationSettings#maxRefuse()}), and at least through the next
   * allocation cycle: it is removed by the first cycle after the one that found it due (see {@link
   * #allocate}). A DECLINE without filters should pass {@link AllocationSettings#defaultRefuse()}.
   *
   * <p>Does nothing if the framework or the agent has already been removed (their allocations went
   * with them, as in Mesos).
   *
   * @param refuse how long to refuse such offers; null or zero installs no filter
   * @param now the current time, for the filter's expiry; may be null if {@code refuse} is
   * @throws IllegalArgumentException if {@code refuse} is negative or {@code now} is missing
   * @throws IllegalStateException if the framework does not hold {@code resources} for {@code role}
   *     on the agent
   */
  public void recoverResources(
      FrameworkId framework,
      AgentId agent,
      String role,
      ResourcePool resources,
      Duration refuse,
      Instant now) {
    require(framework, "framework id");
    require(agent, "agent id");
    require(role, "role");
    require(resources, "resources");
    boolean filter = refuse != null && !refuse.isZero();
    if (filter && (refuse.isNegative() || now == null)) {
      throw new IllegalArgumentException("refuse must be >= 0 and now given with it");
    }
    Framework f = cluster.frameworks.get(framework);
    Agent a = cluster.agents.get(agent);
    if (f == null || a == null) {
      return;
    }
    Client c = f.clients.get(role);
    if (c == null) {
      throw new IllegalStateException(
          "framework " + framework + " holds nothing for role " + role + " on agent " + agent);
    }
    cluster.release(c, a, resources);
    if (filter && c.subscribed && !resources.isEmpty()) {
      Duration d = refuse.compareTo(config.maxRefuse()) > 0 ? config.maxRefuse() : refuse;
      long expires = saturatedAdd(now.toEpochMilli(), d.toMillis());
      cluster.addFilter(c, a, resources, expires);
    }
    cluster.dropIfUnused(c);
  }

  private static long saturatedAdd(long a, long b) {
    long r = a + b;
    return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
  }

  /**
   * Dynamically reserves part of what a framework holds on an agent for {@code role} (RESERVE on an
   * offer): {@code resources} move from the unreserved part of its allocation to the part reserved
   * for {@code role}, and the agent's total changes the same way. Equivalent to {@code
   * reserve(framework, agent, role, role, resources)}.
   */
  public void reserve(FrameworkId framework, AgentId agent, String role, Resources resources) {
    reserve(framework, agent, role, role, resources);
  }

  /**
   * Reserves for {@code reservationRole} (the offer's role or a role below it, as Mesos allows)
   * part of the unreserved resources the framework holds for {@code role} on the agent.
   *
   * @throws IllegalArgumentException if {@code reservationRole} is not {@code role} or below it
   * @throws IllegalStateException if the framework, agent or allocation is unknown, or it does not
   *     hold {@code resources} unreserved there
   */
  public void reserve(
      FrameworkId framework,
      AgentId agent,
      String role,
      String reservationRole,
      Resources resources) {
    Roles.check(require(reservationRole, "reservation role"));
    if (!Roles.isSelfOrDescendant(reservationRole, require(role, "role"))) {
      throw new IllegalArgumentException(
          "cannot reserve for " + reservationRole + " from an offer for " + role);
    }
    new Reservations(cluster)
        .convert(
            cluster.framework(require(framework, "framework id")),
            cluster.agent(require(agent, "agent id")),
            role,
            ResourcePool.unreserved(require(resources, "resources")),
            ResourcePool.reserved(reservationRole, resources));
  }

  /** Equivalent to {@code unreserve(framework, agent, role, role, resources)}. */
  public void unreserve(FrameworkId framework, AgentId agent, String role, Resources resources) {
    unreserve(framework, agent, role, role, resources);
  }

  /**
   * Gives back a reservation for {@code reservationRole} held in the framework's allocation for
   * {@code role} (UNRESERVE on an offer): the resources become unreserved, still allocated to the
   * framework; the agent's total changes the same way. Whether a reservation may be undone (static
   * ones may not) is the server's decision.
   *
   * @throws IllegalStateException if the framework, agent or allocation is unknown, or it does not
   *     hold {@code resources} reserved for {@code reservationRole} there
   */
  public void unreserve(
      FrameworkId framework,
      AgentId agent,
      String role,
      String reservationRole,
      Resources resources) {
    Roles.check(require(reservationRole, "reservation role"));
    new Reservations(cluster)
        .convert(
            cluster.framework(require(framework, "framework id")),
            cluster.agent(require(agent, "agent id")),
            require(role, "role"),
            ResourcePool.reserved(reservationRole, require(resources, "resources")),
            ResourcePool.unreserved(resources));
  }

  // ---- roles ----------------------------------------------------------------------------------

  /**
   * Sets a role's weight (default 1): its share is divided by it, so weight 2 means twice the fair
   * share. Takes effect from the next cycle (no agent is re-examined for it, as Mesos).
   *
   * @throws IllegalArgumentException if the role is invalid or the weight not positive and finite
   */
  public void setWeight(String role, double weight) {
    Roles.check(require(role, "role"));
    if (!(weight > 0) || Double.isInfinite(weight)) {
      throw new IllegalArgumentException("weight must be > 0 and finite, was " + weight);
    }
    RoleNode node = cluster.roles.getOrCreate(role);
    cluster.roles.setWeight(node, weight);
    cluster.roles.tryRemove(node);
  }

  /**
   * Sets a role's quota in the form the API and the journal have used so far: a limit of null is no
   * limit, and a quantity of zero in the limit means no limit on that quantity ({@link
   * QuotaLimit#fromLegacy}). {@link Quota#NONE} removes the quota. See {@link #setQuota(String,
   * Resources, QuotaLimit)}.
   *
   * @throws IllegalArgumentException if the role is invalid or the quota null
   */
  public void setQuota(String role, Quota quota) {
    require(quota, "quota");
    set(role, quota, QuotaLimit.fromLegacy(quota.limit()));
  }

  /**
   * Sets a role's quota (an empty guarantee and {@link QuotaLimit#NONE} remove it). Guarantees are
   * met first and unreserved resources are held back as headroom for unmet guarantees; limits cap
   * what the role and the roles below it may consume (reservations plus unreserved allocations): a
   * kind the limit leaves null is not limited, a limit of 0 lets the role have none of that kind
   * (as Mesos). A quantity of zero in the guarantee guarantees nothing of it. Every agent is
   * re-examined. {@link #quota} then shows the guarantee and a null limit; {@link #quotaLimit} the
   * limit.
   *
   * @throws IllegalArgumentException if the role is invalid, an argument null, or the guarantee
   *     exceeds the limit
   */
  public void setQuota(String role, Resources guarantee, QuotaLimit limit) {
    require(guarantee, "guarantee");
    require(limit, "limit");
    List<String> over = limit.exceededBy(guarantee);
    if (!over.isEmpty()) {
      throw new IllegalArgumentException("the guarantee exceeds the limit in " + over);
    }
    set(role, new Quota(guarantee, null), limit);
  }

  private void set(String role, Quota quota, QuotaLimit limit) {
    Roles.check(require(role, "role"));
    RoleNode node = cluster.roles.getOrCreate(role);
    cluster.roles.setQuota(node, quota, limit);
    cluster.roles.tryRemove(node);
    cluster.bumpEpoch();
    cluster.releaseConstrained();
  }

  /**
   * Runs one allocation cycle at {@code now}: expires the filters that were due by the previous
   * cycle (one due since still blocks this cycle) and allocates free resources on the agents that
   * changed since the last cycle (all agents after a framework-wide event such as a new framework,
   * a revive or a quota change). Each grant is now allocated to its framework until recovered.
   *
   * @return the grants, in the order made; at most one per framework, role and agent
   */
  public List<OfferGrant> allocate(Instant now) {
    require(now, "now");
    // Filters that came due by the previous cycle go now: one that came due since then still
    // blocks this cycle, so that a filter, however short, holds through the next allocation
    // after it was installed (Mesos keeps a filter until the allocation after it expired,
    // MESOS-4302): a framework that declines never gets the same resources back at once.
    // Cycles at one instant share one threshold: running a cycle again changes no filter.
    if (lastCycleAt == null || now.isAfter(lastCycleAt)) {
      expiryThresholdMillis = lastCycleAt == null ? Long.MIN_VALUE : lastCycleAt.toEpochMilli();
      lastCycleAt = now;
    }
    List<OfferGrant> grants = cycle.run(now.toEpochMilli(), expiryThresholdMillis);
    lastCycle = new CycleStats(now, cycle.considered(), cycle.scanned(), grants.size());
    return grants;
  }

  /** What the last {@link #allocate} did ({@link CycleStats#NONE} before the first). */
  public CycleStats lastCycle() {
    return lastCycle;
  }

  /**
   * True if something changed since the last cycle that may allow new offers (the server should run
   * a cycle soon; see {@link #nextWakeup()}).
   */
  public boolean hasWork() {
    return cluster.allCandidates || !cluster.candidates.isEmpty();
  }

  /**
   * When the server should next call {@link #allocate}: if there is work, the end of the minimum
   * interval after the last cycle (possibly in the past: run now); otherwise when the next offer
   * filter comes due, or just after the last cycle if that cycle found one due (it still applied
   * it; the next cycle drops it); not before that interval either. Empty if nothing is pending: no
   * polling needed until the next event.
   */
  public Optional<Instant> nextWakeup() {
    Instant earliest = lastCycleAt == null ? Instant.EPOCH : lastCycleAt.plus(config.minInterval());
    if (hasWork()) {
      return Optional.of(earliest);
    }
    long expiry = cluster.nextExpiryMillis();
    if (expiry == Long.MAX_VALUE) {
      return Optional.empty();
    }
    Instant at = Instant.ofEpochMilli(expiry);
    if (lastCycleAt != null && !lastCycleAt.isBefore(at)) {
      // It came due by the last cycle, which still applied it: the next cycle drops it.
      at = lastCycleAt.plusMillis(1);
    }
    return Optional.of(at.isAfter(earliest) ? at : earliest);
  }

  /**
   * Makes the next cycle examine every active agent, as Mesos' periodic allocation does. Not needed
   * for correctness (every event marks what it affects); a server may call it on a slow timer as a
   * safety net.
   */
  public void reconsiderAllAgents() {
    cluster.bumpEpoch();
  }

  // ---- views ----------------------------------------------------------------------------------

  /** Every known role (with frameworks, reservations, weight or quota, or below such), by name. */
  public List<RoleView> roles() {
    return views.roles();
  }

  /** The role's view, empty if the role is not known (see {@link #roles()}). */
  public Optional<RoleView> role(String role) {
    return views.role(role);
  }

  /** The role's weight (1 unless set). */
  public double weight(String role) {
    RoleNode node = cluster.roles.get(role);
    return node == null ? 1.0 : node.weight;
  }

  /** The role's limit as the cycle applies it ({@link QuotaLimit#NONE} unless set). */
  public QuotaLimit quotaLimit(String role) {
    RoleNode node = cluster.roles.get(require(role, "role"));
    return node == null ? QuotaLimit.NONE : node.limit;
  }

  /** The role's quota ({@link Quota#NONE} unless set). */
  public Quota quota(String role) {
    RoleNode node = cluster.roles.get(role);
    return node == null ? Quota.NONE : node.quota;
  }

  /** The sum of all agents' totals. */
  public Resources clusterTotal() {
    return Scalars.toResources(cluster.roles.clusterTotal);
  }

  /** True if the agent is added (active or not) and not removed. */
  public boolean hasAgent(AgentId id) {
    return cluster.agents.containsKey(id);
  }

  /** The number of added agents, active or not. */
  public int agentCount() {
    return cluster.agents.size();
  }

  /**
   * False while deactivated (draining, unreachable).
   *
   * @throws IllegalStateException if the agent is unknown
   */
  public boolean isAgentActive(AgentId id) {
    return cluster.agent(id).active;
  }

  /**
   * The agent's total, with its static and dynamic reservations.
   *
   * @throws IllegalStateException if the agent is unknown
   */
  public ResourcePool agentTotal(AgentId id) {
    return cluster.agent(id).total;
  }

  /**
   * What is free on the agent: neither allocated nor offered.
   *
   * @throws IllegalStateException if the agent is unknown
   */
  public ResourcePool agentAvailable(AgentId id) {
    return cluster.agent(id).available;
  }

  /**
   * How much more is allocated on the agent than its total has, per quantity (ports: allocated
   * ports it does not have); empty unless it is over-committed (see {@link #updateAgentTotal}).
   *
   * @throws IllegalStateException if the agent is unknown
   */
  public Resources agentOvercommitted(AgentId id) {
    Agent a = cluster.agent(id);
    if (!a.overcommitted) {
      return Resources.EMPTY;
    }
    return cluster.allocatedOn(a).total().minusClamped(a.total.total());
  }

  /**
   * What is allocated on the agent (offered or used by tasks).
   *
   * @throws IllegalStateException if the agent is unknown
   */
  public ResourcePool agentAllocated(AgentId id) {
    return cluster.allocatedOn(cluster.agent(id));
  }

  /**
   * Allocations on the agent by framework and role.
   *
   * @throws IllegalStateException if the agent is unknown
   */
  public Map<FrameworkId, Map<String, ResourcePool>> agentAllocations(AgentId id) {
    return views.agentAllocations(cluster.agent(id));
  }

  /** True once {@link #addFramework} added it (not merely named by an agent's report). */
  public boolean hasFramework(FrameworkId id) {
    Framework f = cluster.frameworks.get(id);
    return f != null && f.added();
  }

  /**
   * False while disconnected (deactivated).
   *
   * @throws IllegalStateException if the framework is unknown
   */
  public boolean isFrameworkActive(FrameworkId id) {
    return cluster.framework(id).active;
  }

  /**
   * The roles the framework gets no offers for until it revives.
   *
   * @throws IllegalStateException if the framework is unknown
   */
  public Set<String> suppressedRoles(FrameworkId id) {
    return Set.copyOf(cluster.framework(id).suppressed);
  }

  /**
   * What the framework holds, by agent and role (also for frameworks only named by an agent's
   * report so far); empty if it holds nothing or is unknown.
   */
  public Map<AgentId, Map<String, ResourcePool>> frameworkAllocations(FrameworkId id) {
    Framework f = cluster.frameworks.get(id);
    return f == null ? Map.of() : views.frameworkAllocations(f);
  }

  /** Everything the framework holds; empty if unknown. */
  public ResourcePool frameworkAllocated(FrameworkId id) {
    ResourcePool sum = ResourcePool.EMPTY;
    for (Map<String, ResourcePool> byRole : frameworkAllocations(id).values()) {
      for (ResourcePool p : byRole.values()) {
        sum = sum.plus(p);
      }
    }
    return sum;
  }

  /** The number of offer filters currently installed (for metrics). */
  public int offerFilterCount() {
    int n = 0;
    for (Agent a : cluster.agents.values()) {
      if (a.filters != null) {
        n += a.filters.size();
      }
    }
    return n;
  }

  /** The state, for tests in this package that check internal invariants. */
  Cluster state() {
    return cluster;
  }

  static <T> T require(T value, String what) {
    if (value == null) {
      throw new IllegalArgumentException(what + " is required");
    }
    return value;
  }
}
