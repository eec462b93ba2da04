package io.strata.provisioner.apply;

import io.strata.provisioner.apply.NodeResult.Outcome;
import io.strata.provisioner.bootstrap.BootstrapScripts;
import io.strata.provisioner.bootstrap.ClusterCa;
import io.strata.provisioner.cloud.CloudProvider;
import io.strata.provisioner.core.ClusterRecord;
import io.strata.provisioner.core.ClusterSecrets;
import io.strata.provisioner.core.Machine;
import io.strata.provisioner.core.NodeRecord;
import io.strata.provisioner.core.NodeRole;
import io.strata.provisioner.core.NodeStatus;
import io.strata.provisioner.core.Plan;
import io.strata.provisioner.core.Planner;
import io.strata.provisioner.core.StateChange;
import io.strata.provisioner.core.Step;
import io.strata.provisioner.core.Topology;
import io.strata.provisioner.spec.ClusterSpec;
import io.strata.provisioner.state.StateStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Plans and applies a cluster spec against one cloud: preflight, network, allocators, agents and
 * deletions, then waits until every agent has joined the allocator. Each machine is created on its
 * own (virtual) thread; the provider's {@code CloudGate} bounds the requests in flight and paces
 * writes, so a thousand machines booting cost no more threads of the cloud's patience than ten.
 */
public final class Applier {
  private final CloudProvider provider;
  private final StateStore store;
  private final BootstrapScripts scripts;
  private final AgentRoster.Source rosters;
  private final EventSink events;
  private final Clock clock;
  private final ApplyOptions options;

  /**
   * @param rosters gives the roster to ask for joined agents, from the allocator's operator
   *     endpoint and the operator token (null when there is none)
   */
  public Applier(
      CloudProvider provider,
      StateStore store,
      BootstrapScripts scripts,
      BiFunction<String, String, AgentRoster> rosters,
      EventSink events,
      Clock clock,
      ApplyOptions options) {
    this(
        provider,
        store,
        scripts,
        (url, token, caPem) -> rosters.apply(url, token),
        events,
        clock,
        options);
  }

  /**
   * @param rosters gives the roster to ask for joined agents, from the allocator's operator
   *     endpoint, the operator token (the provider's, else the one minted for the cluster; null
   *     when there is none) and the cluster CA
   */
  public Applier(
      CloudProvider provider,
      StateStore store,
      BootstrapScripts scripts,
      AgentRoster.Source rosters,
      EventSink events,
      Clock clock,
      ApplyOptions options) {
    this.provider = provider;
    this.store = store;
    this.scripts = scripts;
    this.rosters = rosters;
    this.events = events;
    this.clock = clock;
    this.options = options;
  }

  /** The recorded state, or an empty one for a cluster never applied. Creates nothing. */
  public ClusterRecord recorded(ClusterSpec spec) {
    return store
        .load(spec.name())
        .orElseGet(() -> ClusterRecord.empty(spec.name(), spec.cloud().wire(), null));
  }

  public Plan plan(ClusterSpec spec) {
    return Planner.apply(Topology.machines(spec), recorded(spec));
  }

  /**
   * Applies {@code spec}: plans against the recorded state, checks (preflight), then walks the plan
   * ({@link PlanWalk}), writing each step's outcome to the state file at that step, and waits for
   * the machines to join ({@link Readiness}). Re-applying after a partial failure resumes;
   * re-applying a converged cluster changes nothing.
   *
   * @throws PreflightException refused before anything was created
   */
  public ApplyResult apply(ClusterSpec spec) {
    ClusterRecord recorded = recorded(spec);
    StateChange.Began began = new StateChange.Began(secrets(spec, recorded.secrets()));
    ClusterRecord initial = recorded.after(began);
    List<Machine> desired = Topology.machines(spec);
    List<String> refused = Planner.allocatorChange(desired, initial);
    if (!refused.isEmpty()) {
      throw new PreflightException(refused);
    }
    Plan plan = Planner.apply(desired, initial);
    announce(plan);
    List<Machine> creating = new ArrayList<>();
    for (Step s : plan.steps()) {
      if (s instanceof Step.CreateNode c && !c.retry()) {
        creating.add(c.machine());
      } else if (s instanceof Step.ReplaceNode r) {
        creating.add(r.machine());
      }
    }
    List<String> addresses = plannedAllocatorAddresses(desired, initial);
    if (addresses == null && spec.allocator().count() > 1) {
      throw new PreflightException(
          List.of(
              "the "
                  + spec.allocator().count()
                  + " allocators of an HA group need fixed private addresses before they boot"
                  + " (each one's ZooKeeper server lists all of them), which this cloud does not"
                  + " give, or a recorded allocator has another address"));
    }
    List<String> problems = provider.preflight(creating);
    if (!problems.isEmpty()) {
      throw new PreflightException(problems);
    }
    StateKeeper state = new StateKeeper(store, recorded);
    state.record(began);
    String planned = addresses == null ? null : plannedAllocatorEndpoint(spec, desired, addresses);
    List<NodeResult> results =
        new PlanWalk(provider, scripts, state, events, clock, options)
            .apply(spec, plan, planned, addresses == null ? List.of() : addresses);
    new Readiness(provider, rosters, state, events, clock, options)
        .await(desired, operatorEndpoint(spec, state), results);
    return new ApplyResult(plan, results, state.get().allocatorEndpoint());
  }

  /** The cluster's secrets: minted on the first apply; an operator token added to old ones. */
  private ClusterSecrets secrets(ClusterSpec spec, ClusterSecrets old) {
    if (old == null) {
      return ClusterCa.create(spec.name(), clock.instant(), options.tokenLifetime());
    }
    if (old.operatorToken() == null) {
      // A state file from before operator tokens: allocators created from now on get one.
      return new ClusterSecrets(
          old.caCertPem(),
          old.caKeyPem(),
          old.joinToken(),
          old.joinTokenExpiresAt(),
          ClusterCa.randomToken());
    }
    return old;
  }

  private void announce(Plan plan) {
    for (Step s : plan.steps()) {
      events.emit(new ApplyEvent(ApplyEvent.PLANNED, null, null, null, s.describe()));
    }
    events.emit(
        new ApplyEvent(
            ApplyEvent.SUMMARY,
            null,
            null,
            null,
            plan.steps().size() + " steps. " + plan.summary()));
  }

  /**
   * The private address of every allocator, by index, if the provider fixes them before creating
   * the machines and no recorded allocator has another one; null otherwise.
   */
  private List<String> plannedAllocatorAddresses(
      List<Machine> desired, ClusterRecord recordedState) {
    List<String> out = new ArrayList<>();
    for (Machine m : desired) {
      if (m.role() != NodeRole.ALLOCATOR) {
        continue;
      }
      String address = provider.plannedAddress(m);
      if (address == null) {
        return null;
      }
      NodeRecord recorded = recordedState.nodes().get(m.name());
      if (recorded != null
          && recorded.privateIp() != null
          && !recorded.privateIp().equals(address)) {
        return null;
      }
      out.add(address);
    }
    return out.isEmpty() ? null : out;
  }

  /**
   * The allocators' URL for agents: one allocator's, or with an HA group every allocator's,
   * comma-separated (clients try them in turn and follow the standbys' redirects to the leader).
   */
  private String plannedAllocatorEndpoint(
      ClusterSpec spec, List<Machine> desired, List<String> addresses) {
    List<String> urls = new ArrayList<>();
    int i = 0;
    for (Machine m : desired) {
      if (m.role() == NodeRole.ALLOCATOR) {
        NodeRecord pinned =
            new NodeRecord(m, NodeStatus.CREATING, Map.of(), addresses.get(i++), null, null);
        urls.add(provider.allocatorEndpoint(pinned, spec.allocator().port()));
      }
    }
    return String.join(",", urls);
  }

  /** Every running allocator's operator URL, comma-separated (the roster asks each in turn). */
  private String operatorEndpoint(ClusterSpec spec, StateKeeper state) {
    List<String> urls =
        state.get().nodes().values().stream()
            .filter(n -> n.machine().role() == NodeRole.ALLOCATOR)
            .filter(n -> n.status() == NodeStatus.RUNNING || n.status() == NodeStatus.READY)
            .sorted(java.util.Comparator.comparingInt(n -> n.machine().index()))
            .map(n -> provider.operatorEndpoint(n, spec.allocator().port()))
            .toList();
    return urls.isEmpty() ? null : String.join(",", urls);
  }

  /** Deletes every recorded node and the network, then checks nothing tagged is left. */
  public ApplyResult destroy(String cluster) {
    ClusterRecord recorded = store.load(cluster).orElse(null);
    if (recorded == null) {
      recorded = ClusterRecord.empty(cluster, "", null);
    }
    Plan plan = Planner.destroy(recorded);
    announce(plan);
    StateKeeper state = new StateKeeper(store, recorded);
    List<NodeResult> results =
        new PlanWalk(provider, scripts, state, events, clock, options).deleteNodes(plan);
    if (results.stream().noneMatch(NodeResult::failed)) {
      String resource = "network." + cluster;
      Instant start = clock.instant();
      events.emit(new ApplyEvent(ApplyEvent.START, resource, "delete", null, null));
      provider.deleteNetwork(state.get().network());
      var left = provider.tagged();
      if (left.isEmpty()) {
        store.delete(cluster);
        events.emit(
            new ApplyEvent(
                ApplyEvent.COMPLETE,
                resource,
                "delete",
                Duration.between(start, clock.instant()),
                null));
      } else {
        String reason = "still tagged with " + cluster + ": " + left;
        state.save();
        events.emit(new ApplyEvent(ApplyEvent.ERRORED, resource, "delete", null, reason));
        results.add(new NodeResult(resource, Outcome.FAILED, reason));
      }
    }
    return new ApplyResult(plan, results, null);
  }
}
