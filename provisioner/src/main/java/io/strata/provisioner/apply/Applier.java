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
import io.strata.provisioner.core.Step;
import io.strata.provisioner.core.Topology;
import io.strata.provisioner.spec.ClusterSpec;
import io.strata.provisioner.state.StateStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
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

  public ApplyResult apply(ClusterSpec spec) {
    ClusterRecord initial = recorded(spec);
    if (initial.secrets() == null) {
      initial =
          new ClusterRecord(
              initial.cluster(),
              initial.cloud(),
              initial.network(),
              initial.nodes(),
              ClusterCa.create(spec.name(), clock.instant(), options.tokenLifetime()),
              initial.allocatorEndpoint());
    } else if (initial.secrets().operatorToken() == null) {
      // A state file from before operator tokens: allocators created from now on get one.
      ClusterSecrets old = initial.secrets();
      initial =
          new ClusterRecord(
              initial.cluster(),
              initial.cloud(),
              initial.network(),
              initial.nodes(),
              new ClusterSecrets(
                  old.caCertPem(),
                  old.caKeyPem(),
                  old.joinToken(),
                  old.joinTokenExpiresAt(),
                  ClusterCa.randomToken()),
              initial.allocatorEndpoint());
    }
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
    StateKeeper state = new StateKeeper(store, initial);
    state.update(s -> s);
    if (!state.get().hasNetwork()) {
      Instant start = clock.instant();
      String resource = "network." + spec.name();
      events.emit(new ApplyEvent(ApplyEvent.START, resource, "create", null, null));
      Map<String, String> ids = provider.ensureNetwork();
      state.update(s -> s.withNetwork(ids));
      events.emit(
          new ApplyEvent(
              ApplyEvent.COMPLETE,
              resource,
              "create",
              Duration.between(start, clock.instant()),
              null));
    }
    List<NodeResult> results = Collections.synchronizedList(new ArrayList<>());
    String planned = addresses == null ? null : plannedAllocatorEndpoint(spec, desired, addresses);
    if (planned != null) {
      // The allocator's address is fixed before it exists: nothing waits for it to boot.
      state.update(s -> s.withAllocatorEndpoint(planned));
      List<Step> all = new ArrayList<>(stepsFor(plan, NodeRole.ALLOCATOR));
      all.addAll(stepsFor(plan, NodeRole.AGENT));
      runAll(all, spec, state, results, addresses);
    } else {
      runAll(stepsFor(plan, NodeRole.ALLOCATOR), spec, state, results, List.of());
      allocatorEndpoint(spec, state);
      runAll(stepsFor(plan, NodeRole.AGENT), spec, state, results, List.of());
    }
    awaitJoined(desired, state, operatorEndpoint(spec, state), results);
    return new ApplyResult(plan, results, state.get().allocatorEndpoint());
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

  private static List<Step> stepsFor(Plan plan, NodeRole role) {
    List<Step> out = new ArrayList<>();
    for (Step s : plan.steps()) {
      Machine m =
          switch (s) {
            case Step.CreateNode c -> c.machine();
            case Step.ReplaceNode r -> r.machine();
            case Step.DeleteNode d -> d.node().machine();
            default -> null;
          };
      if (m != null && m.role() == role) {
        out.add(s);
      }
    }
    return out;
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

  private String allocatorEndpoint(ClusterSpec spec, StateKeeper state) {
    return state.get().nodes().values().stream()
        .filter(n -> n.machine().role() == NodeRole.ALLOCATOR)
        .filter(n -> n.status() == NodeStatus.RUNNING || n.status() == NodeStatus.READY)
        .findFirst()
        .map(
            n -> {
              String url = provider.allocatorEndpoint(n, spec.allocator().port());
              state.update(s -> s.withAllocatorEndpoint(url));
              return url;
            })
        .orElse(null);
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

  /** Runs node steps concurrently; returns when all are done. */
  private void runAll(
      List<Step> steps,
      ClusterSpec spec,
      StateKeeper state,
      List<NodeResult> results,
      List<String> allocatorAddresses) {
    Semaphore operationSlots =
        options.operationSlots() > 0 ? new Semaphore(options.operationSlots(), true) : null;
    NodeCreation creation =
        new NodeCreation(provider, state, events, clock, options.pollInterval());
    Map<String, String> tags = Map.of(CloudProvider.TAG, spec.name());
    List<Callable<Void>> tasks = new ArrayList<>();
    for (Step step : steps) {
      tasks.add(
          () -> {
            if (operationSlots != null) {
              operationSlots.acquire();
            }
            try {
              if (isAllocator(step)) {
                results.add(
                    io.strata.provisioner.cloud.CloudGate.urgently(
                        () -> runStep(step, spec, state, creation, tags, allocatorAddresses)));
              } else {
                results.add(runStep(step, spec, state, creation, tags, allocatorAddresses));
              }
            } finally {
              if (operationSlots != null) {
                operationSlots.release();
              }
            }
            return null;
          });
    }
    invokeAll(tasks);
  }

  private static boolean isAllocator(Step step) {
    return switch (step) {
      case Step.CreateNode c -> c.machine().role() == NodeRole.ALLOCATOR;
      case Step.ReplaceNode r -> r.machine().role() == NodeRole.ALLOCATOR;
      default -> false;
    };
  }

  private NodeResult runStep(
      Step step,
      ClusterSpec spec,
      StateKeeper state,
      NodeCreation creation,
      Map<String, String> tags,
      List<String> allocatorAddresses) {
    return switch (step) {
      case Step.CreateNode c ->
          created(c.machine(), spec, state, creation, tags, "create", allocatorAddresses);
      case Step.ReplaceNode r -> {
        NodeResult deleted = delete(r.old(), state, "replace");
        yield deleted.failed()
            ? deleted
            : created(r.machine(), spec, state, creation, tags, "replace", allocatorAddresses);
      }
      case Step.DeleteNode d -> delete(d.node(), state, "delete");
      default -> throw new IllegalStateException("not a node step: " + step);
    };
  }

  private NodeResult created(
      Machine m,
      ClusterSpec spec,
      StateKeeper state,
      NodeCreation creation,
      Map<String, String> tags,
      String action,
      List<String> allocatorAddresses) {
    String endpoint = state.get().allocatorEndpoint();
    if (m.role() == NodeRole.AGENT && endpoint == null) {
      String reason = "no allocator is running, so agents cannot be configured";
      state.update(
          s -> s.withNode(new NodeRecord(m, NodeStatus.FAILED, Map.of(), null, null, reason)));
      events.emit(new ApplyEvent(ApplyEvent.ERRORED, "node." + m.name(), action, null, reason));
      return new NodeResult(m.name(), Outcome.FAILED, reason);
    }
    var bootstrap = scripts.render(spec, state.get().secrets(), m, endpoint, allocatorAddresses);
    NodeRecord r = creation.create(m, bootstrap, tags, action);
    return r.status() == NodeStatus.FAILED
        ? new NodeResult(m.name(), Outcome.FAILED, r.error())
        : new NodeResult(m.name(), Outcome.NOT_JOINED, "not yet joined");
  }

  private NodeResult delete(NodeRecord node, StateKeeper state, String action) {
    String resource = "node." + node.name();
    Instant start = clock.instant();
    events.emit(new ApplyEvent(ApplyEvent.START, resource, "delete", null, null));
    try {
      state.update(s -> s.withNode(node.with(NodeStatus.DELETING, null)));
      provider.deleteNode(node);
      state.update(s -> s.withoutNode(node.name()));
      events.emit(
          new ApplyEvent(
              ApplyEvent.COMPLETE,
              resource,
              "delete",
              Duration.between(start, clock.instant()),
              null));
      return new NodeResult(node.name(), Outcome.DELETED, null);
    } catch (RuntimeException e) {
      String reason = NodeCreation.describe(e);
      state.update(s -> s.withNode(node.with(NodeStatus.DELETING, reason)));
      events.emit(new ApplyEvent(ApplyEvent.ERRORED, resource, action, null, reason));
      return new NodeResult(node.name(), Outcome.FAILED, "delete failed: " + reason);
    }
  }

  /** Waits until every running agent has registered; marks joined nodes READY. */
  private void awaitJoined(
      List<Machine> desired, StateKeeper state, String endpoint, List<NodeResult> results) {
    List<String> waiting = new ArrayList<>();
    for (Machine m : desired) {
      NodeRecord r = state.get().nodes().get(m.name());
      if (r != null && (r.status() == NodeStatus.RUNNING || r.status() == NodeStatus.READY)) {
        waiting.add(m.name());
      }
    }
    Instant deadline = clock.instant().plus(options.readyTimeout());
    ClusterSecrets secrets = state.get().secrets();
    String token = provider.operatorToken();
    if (token == null && secrets != null) {
      token = secrets.operatorToken();
    }
    AgentRoster roster =
        endpoint == null
            ? null
            : rosters.open(endpoint, token, secrets == null ? null : secrets.caCertPem());
    String lastError = endpoint == null ? "no allocator is running" : "not registered";
    while (roster != null && !waiting.isEmpty()) {
      try {
        var joined = roster.registered();
        // The allocator answering its API makes the allocators ready; agents must be listed.
        List<String> ready = new ArrayList<>();
        for (String name : List.copyOf(waiting)) {
          NodeRecord r = state.get().nodes().get(name);
          String hostname = r.cloudIds().getOrDefault(CloudProvider.HOSTNAME, name);
          if (r.machine().role() == NodeRole.ALLOCATOR || joined.contains(hostname)) {
            waiting.remove(name);
            ready.add(name);
          }
        }
        if (!ready.isEmpty()) {
          state.update(
              s -> {
                ClusterRecord next = s;
                for (String name : ready) {
                  next = next.withNode(next.nodes().get(name).with(NodeStatus.READY, null));
                }
                return next;
              });
          ready.forEach(
              name ->
                  events.emit(
                      new ApplyEvent(ApplyEvent.READY, "node." + name, "join", null, null)));
        }
      } catch (RuntimeException e) {
        lastError = "allocator not answering: " + NodeCreation.describe(e);
      }
      if (waiting.isEmpty() || !clock.instant().isBefore(deadline)) {
        break;
      }
      sleep(options.readyPoll());
    }
    if (roster != null) {
      roster.close();
    }
    results.removeIf(r -> r.outcome() == Outcome.NOT_JOINED);
    for (Machine m : desired) {
      NodeRecord r = state.get().nodes().get(m.name());
      if (r == null || results.stream().anyMatch(x -> x.node().equals(m.name()))) {
        continue;
      }
      results.add(
          switch (r.status()) {
            case READY -> new NodeResult(m.name(), Outcome.READY, null);
            case FAILED -> new NodeResult(m.name(), Outcome.FAILED, r.error());
            default ->
                new NodeResult(
                    m.name(),
                    Outcome.NOT_JOINED,
                    lastError + " after " + options.readyTimeout().toSeconds() + "s");
          });
    }
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
    List<NodeResult> results = Collections.synchronizedList(new ArrayList<>());
    List<Callable<Void>> tasks = new ArrayList<>();
    for (Step s : plan.steps()) {
      if (s instanceof Step.DeleteNode d) {
        tasks.add(
            () -> {
              results.add(delete(d.node(), state, "delete"));
              return null;
            });
      }
    }
    invokeAll(tasks);
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
        state.update(s -> s);
        events.emit(new ApplyEvent(ApplyEvent.ERRORED, resource, "delete", null, reason));
        results.add(new NodeResult(resource, Outcome.FAILED, reason));
      }
    }
    return new ApplyResult(plan, results, null);
  }

  private static void invokeAll(List<Callable<Void>> tasks) {
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Void>> futures = pool.invokeAll(tasks);
      for (Future<Void> f : futures) {
        f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted; the state file records what was done", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("a node step failed unexpectedly", e.getCause());
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for agents to join", e);
    }
  }
}
