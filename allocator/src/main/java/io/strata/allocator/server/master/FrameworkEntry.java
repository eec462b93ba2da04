package io.strata.allocator.server.master;

import io.strata.allocator.state.FrameworkRecord;
import io.strata.api.TaskId;
import io.strata.api.scheduler.SchedulerEvent;
import java.util.LinkedHashSet;
import java.util.Set;

/** A framework in memory: its durable record, its tasks and its current subscription, if any. */
final class FrameworkEntry {
  static final int MAILBOX_CAPACITY = 100_000;

  FrameworkRecord record;
  final Set<TaskId> tasks = new LinkedHashSet<>();

  /** Null while disconnected. */
  String streamId;

  Mailbox<SchedulerEvent> mailbox;

  FrameworkEntry(FrameworkRecord record) {
    this.record = record;
  }

  boolean connected() {
    return streamId != null;
  }
}
