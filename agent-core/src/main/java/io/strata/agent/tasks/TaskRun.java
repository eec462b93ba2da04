package io.strata.agent.tasks;

import io.strata.agent.containerizer.Containerizer;
import io.strata.agent.health.HealthChecker;
import io.strata.api.Reason;
import java.time.Duration;

/** One task on this agent: its durable record and what the agent does with it now. */
final class TaskRun {
  final Containerizer containerizer;
  private TaskCheckpoint record;
  private Reason killReason;
  private Duration killGrace;
  private HealthChecker.Handle health;
  private Boolean healthy;

  TaskRun(TaskCheckpoint record, Containerizer containerizer) {
    this.record = record;
    this.containerizer = containerizer;
  }

  synchronized TaskCheckpoint record() {
    return record;
  }

  synchronized void update(TaskCheckpoint newRecord) {
    record = newRecord;
  }

  synchronized boolean isTerminal() {
    return record.state().isTerminal();
  }

  /** Marks the kill; false if it was already being killed or has ended. */
  synchronized boolean requestKill(Reason reason, Duration grace) {
    if (killReason != null || record.state().isTerminal()) {
      return false;
    }
    killReason = reason;
    killGrace = grace;
    return true;
  }

  synchronized Reason killReason() {
    return killReason;
  }

  synchronized Duration killGrace() {
    return killGrace;
  }

  synchronized void health(HealthChecker.Handle handle) {
    health = handle;
  }

  synchronized void stopHealth() {
    if (health != null) {
      health.cancel();
      health = null;
    }
  }

  synchronized Boolean healthy() {
    return healthy;
  }

  synchronized void healthy(Boolean value) {
    healthy = value;
  }
}
