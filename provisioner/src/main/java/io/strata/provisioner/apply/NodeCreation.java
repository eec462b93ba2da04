package io.strata.provisioner.apply;

import io.strata.provisioner.cloud.Bootstrap;
import io.strata.provisioner.cloud.CloudProvider;
import io.strata.provisioner.cloud.NodeOperation;
import io.strata.provisioner.cloud.NodeProgress;
import io.strata.provisioner.cloud.NodeRequest;
import io.strata.provisioner.core.Machine;
import io.strata.provisioner.core.NodeRecord;
import io.strata.provisioner.core.NodeStatus;
import io.strata.provisioner.core.StateChange;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Creates one machine: send the create, record it as CREATING, poll until it runs or fails, record
 * the outcome. Every state change is saved before the next cloud call, so a crash at any point
 * leaves a state that the next apply finishes (creates are idempotent by name).
 */
final class NodeCreation {
  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);
  private final CloudProvider provider;
  private final StateKeeper state;
  private final EventSink events;
  private final Clock clock;
  private final Duration pollInterval;

  NodeCreation(
      CloudProvider provider,
      StateKeeper state,
      EventSink events,
      Clock clock,
      Duration pollInterval) {
    this.provider = provider;
    this.state = state;
    this.events = events;
    this.clock = clock;
    this.pollInterval = pollInterval;
  }

  /** Returns the node's record: RUNNING, or FAILED with the reason. Never throws a cloud fault. */
  NodeRecord create(Machine machine, Bootstrap bootstrap, Map<String, String> tags, String action) {
    String resource = "node." + machine.name();
    Instant start = clock.instant();
    events.emit(new ApplyEvent(ApplyEvent.START, resource, action, null, null));
    try {
      NodeOperation op = provider.startNode(new NodeRequest(machine, bootstrap, tags));
      state.record(
          new StateChange.NodeRecorded(
              new NodeRecord(machine, NodeStatus.CREATING, op.cloudIds(), null, null, null)));
      Instant lastProgress = start;
      while (true) {
        NodeProgress progress = provider.poll(op);
        switch (progress) {
          case NodeProgress.Running r -> {
            NodeRecord running =
                new NodeRecord(
                    machine, NodeStatus.RUNNING, r.cloudIds(), r.privateIp(), r.publicIp(), null);
            state.record(new StateChange.NodeRecorded(running));
            events.emit(new ApplyEvent(ApplyEvent.COMPLETE, resource, action, since(start), null));
            return running;
          }
          case NodeProgress.Failed f -> {
            return failed(machine, op.cloudIds(), f.reason(), resource, action, start);
          }
          case NodeProgress.Pending p -> {
            Instant now = clock.instant();
            if (Duration.between(lastProgress, now).compareTo(PROGRESS_EVERY) >= 0) {
              lastProgress = now;
              events.emit(
                  new ApplyEvent(ApplyEvent.PROGRESS, resource, action, since(start), p.detail()));
            }
            Thread.sleep(pollInterval);
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return failed(machine, Map.of(), "interrupted", resource, action, start);
    } catch (RuntimeException e) {
      return failed(machine, Map.of(), describe(e), resource, action, start);
    }
  }

  private NodeRecord failed(
      Machine machine,
      Map<String, String> ids,
      String reason,
      String resource,
      String action,
      Instant start) {
    NodeRecord existing = state.get().nodes().get(machine.name());
    Map<String, String> known = existing != null && ids.isEmpty() ? existing.cloudIds() : ids;
    NodeRecord failed = new NodeRecord(machine, NodeStatus.FAILED, known, null, null, reason);
    state.record(new StateChange.NodeRecorded(failed));
    events.emit(new ApplyEvent(ApplyEvent.ERRORED, resource, action, since(start), reason));
    return failed;
  }

  private Duration since(Instant start) {
    return Duration.between(start, clock.instant());
  }

  static String describe(Throwable e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }
}
