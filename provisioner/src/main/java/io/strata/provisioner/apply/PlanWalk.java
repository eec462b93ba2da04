package io.strata.provisioner.apply;

import io.strata.provisioner.apply.NodeResult.Outcome;
import io.strata.provisioner.bootstrap.BootstrapScripts;
import io.strata.provisioner.cloud.CloudGate;
import io.strata.provisioner.cloud.CloudProvider;
import io.strata.provisioner.core.Machine;
import io.strata.provisioner.core.NodeRecord;
import io.strata.provisioner.core.NodeRole;
import io.strata.provisioner.core.NodeStatus;
import io.strata.provisioner.core.Plan;
import io.strata.provisioner.core.StateChange;
import io.strata.provisioner.core.Step;
import io.strata.provisioner.spec.ClusterSpec;
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

/**
 * One walk over a plan's steps, in the plan's order: the network, then the allocators' node steps,
 * then the agents' (with the allocators' addresses fixed up front, both at once), the node steps of
 * a stage in parallel. Each step writes its outcome to the state file at that step ({@link
 * StateChange}: the network's ids once it exists, a node CREATING once the cloud accepted it,
 * RUNNING or FAILED once it is, gone once deleted), so a walk cut short anywhere leaves a state
 * from which the next apply plans only what is left, and walking an unchanged spec again finds no
 * step to take.
 */
final class PlanWalk {
  private final CloudProvider provider;
  private final BootstrapScripts scripts;
  private final StateKeeper state;
  private final EventSink events;
  private final Clock clock;
  private final ApplyOptions options;
  private final List<NodeResult> results = Collections.synchronizedList(new ArrayList<>());

  PlanWalk(
      CloudProvider provider,
      BootstrapScripts scripts,
      StateKeeper state,
      EventSink events,
      Clock clock,
      ApplyOptions options) {
    this.provider = provider;
    this.scripts = scripts;
    this.state = state;
    this.events = events;
    this.clock = clock;
    this.options = options;
  }

  /**
   * Walks the plan of an apply.
   *
   * @param plannedEndpoint the allocators' URL when their addresses are fixed before they exist
   *     (then nothing waits for them to boot), else null
   * @param allocatorAddresses the allocators' planned private addresses, or empty
   * @return each node step's result (created ones as not yet joined)
   */
  List<NodeResult> apply(
      ClusterSpec spec, Plan plan, String plannedEndpoint, List<String> allocatorAddresses) {
    for (Step s : plan.steps()) {
      if (s instanceof Step.CreateNetwork n) {
        createNetwork(n);
      }
    }
    if (plannedEndpoint != null) {
      state.record(new StateChange.AllocatorEndpoint(plannedEndpoint));
      List<Step> all = new ArrayList<>(stepsFor(plan, NodeRole.ALLOCATOR));
      all.addAll(stepsFor(plan, NodeRole.AGENT));
      runAll(all, spec, allocatorAddresses);
    } else {
      runAll(stepsFor(plan, NodeRole.ALLOCATOR), spec, List.of());
      runningAllocator()
          .ifPresent(
              n ->
                  state.record(
                      new StateChange.AllocatorEndpoint(
                          provider.allocatorEndpoint(n, spec.allocator().port()))));
      runAll(stepsFor(plan, NodeRole.AGENT), spec, List.of());
    }
    return results;
  }

  /** Walks the node deletions of a destroy plan, all at once. */
  List<NodeResult> deleteNodes(Plan plan) {
    List<Callable<Void>> tasks = new ArrayList<>();
    for (Step s : plan.steps()) {
      if (s instanceof Step.DeleteNode d) {
        tasks.add(
            () -> {
              results.add(delete(d.node(), "delete"));
              return null;
            });
      }
    }
    invokeAll(tasks);
    return results;
  }

  private void createNetwork(Step.CreateNetwork step) {
    Instant start = clock.instant();
    String resource = "network." + step.cluster();
    events.emit(new ApplyEvent(ApplyEvent.START, resource, "create", null, null));
    state.record(new StateChange.NetworkCreated(provider.ensureNetwork()));
    events.emit(
        new ApplyEvent(
            ApplyEvent.COMPLETE,
            resource,
            "create",
            Duration.between(start, clock.instant()),
            null));
  }

  private java.util.Optional<NodeRecord> runningAllocator() {
    return state.get().nodes().values().stream()
        .filter(n -> n.machine().role() == NodeRole.ALLOCATOR)
        .filter(n -> n.status() == NodeStatus.RUNNING || n.status() == NodeStatus.READY)
        .findFirst();
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

  /** Runs node steps concurrently; returns when all are done. */
  private void runAll(List<Step> steps, ClusterSpec spec, List<String> allocatorAddresses) {
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
                    CloudGate.urgently(
                        () -> runStep(step, spec, creation, tags, allocatorAddresses)));
              } else {
                results.add(runStep(step, spec, creation, tags, allocatorAddresses));
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
      NodeCreation creation,
      Map<String, String> tags,
      List<String> allocatorAddresses) {
    return switch (step) {
      case Step.CreateNode c ->
          created(c.machine(), spec, creation, tags, "create", allocatorAddresses);
      case Step.ReplaceNode r -> {
        NodeResult deleted = delete(r.old(), "replace");
        yield deleted.failed()
            ? deleted
            : created(r.machine(), spec, creation, tags, "replace", allocatorAddresses);
      }
      case Step.DeleteNode d -> delete(d.node(), "delete");
      default -> throw new IllegalStateException("not a node step: " + step);
    };
  }

  private NodeResult created(
      Machine m,
      ClusterSpec spec,
      NodeCreation creation,
      Map<String, String> tags,
      String action,
      List<String> allocatorAddresses) {
    String endpoint = state.get().allocatorEndpoint();
    if (m.role() == NodeRole.AGENT && endpoint == null) {
      String reason = "no allocator is running, so agents cannot be configured";
      state.record(
          new StateChange.NodeRecorded(
              new NodeRecord(m, NodeStatus.FAILED, Map.of(), null, null, reason)));
      events.emit(new ApplyEvent(ApplyEvent.ERRORED, "node." + m.name(), action, null, reason));
      return new NodeResult(m.name(), Outcome.FAILED, reason);
    }
    var bootstrap = scripts.render(spec, state.get().secrets(), m, endpoint, allocatorAddresses);
    NodeRecord r = creation.create(m, bootstrap, tags, action);
    return r.status() == NodeStatus.FAILED
        ? new NodeResult(m.name(), Outcome.FAILED, r.error())
        : new NodeResult(m.name(), Outcome.NOT_JOINED, "not yet joined");
  }

  private NodeResult delete(NodeRecord node, String action) {
    String resource = "node." + node.name();
    Instant start = clock.instant();
    events.emit(new ApplyEvent(ApplyEvent.START, resource, "delete", null, null));
    try {
      state.record(new StateChange.NodeRecorded(node.with(NodeStatus.DELETING, null)));
      provider.deleteNode(node);
      state.record(new StateChange.NodeDeleted(node.name()));
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
      state.record(new StateChange.NodeRecorded(node.with(NodeStatus.DELETING, reason)));
      events.emit(new ApplyEvent(ApplyEvent.ERRORED, resource, action, null, reason));
      return new NodeResult(node.name(), Outcome.FAILED, "delete failed: " + reason);
    }
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
}
