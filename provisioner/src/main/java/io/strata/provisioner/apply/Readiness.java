package io.strata.provisioner.apply;

import io.strata.provisioner.apply.NodeResult.Outcome;
import io.strata.provisioner.cloud.CloudProvider;
import io.strata.provisioner.core.ClusterSecrets;
import io.strata.provisioner.core.Machine;
import io.strata.provisioner.core.NodeRecord;
import io.strata.provisioner.core.NodeRole;
import io.strata.provisioner.core.NodeStatus;
import io.strata.provisioner.core.StateChange;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The last stage of an apply: waits until every running machine has joined (an agent registered
 * with the allocator; an allocator answering its API), recording READY as each joins, and gives
 * each desired machine its final result.
 */
final class Readiness {
  private final CloudProvider provider;
  private final AgentRoster.Source rosters;
  private final StateKeeper state;
  private final EventSink events;
  private final Clock clock;
  private final ApplyOptions options;

  Readiness(
      CloudProvider provider,
      AgentRoster.Source rosters,
      StateKeeper state,
      EventSink events,
      Clock clock,
      ApplyOptions options) {
    this.provider = provider;
    this.rosters = rosters;
    this.state = state;
    this.events = events;
    this.clock = clock;
    this.options = options;
  }

  /**
   * @param endpoint the allocators' operator URLs, comma-separated; null when none runs
   * @param results the node steps' results: those not yet joined are replaced
   */
  void await(List<Machine> desired, String endpoint, List<NodeResult> results) {
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
          state.record(new StateChange.NodesReady(ready));
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

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for agents to join", e);
    }
  }
}
