package io.strata.allocator.server.master;

import io.strata.allocator.state.AgentRecord;
import io.strata.allocator.state.DurableState.TaskKey;
import io.strata.api.agent.AgentMessage;
import io.strata.api.operator.AgentState;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * An agent in memory: its durable record plus what lives only while the allocator runs (its
 * mailbox, when it was last heard from, whether it registered since the allocator started).
 */
public final class AgentEntry {
  static final int MAILBOX_CAPACITY = 100_000;

  public AgentRecord record;
  final Mailbox<AgentMessage> mailbox = new Mailbox<>(MAILBOX_CAPACITY);
  final Set<TaskKey> tasks = new LinkedHashSet<>();
  Instant lastSeen;

  /** Null while reachable. */
  Instant unreachableSince;

  /**
   * False for an agent known from the journal that has not re-registered since the allocator
   * started: it must re-register (heartbeats and its stream answer 404) so its tasks are
   * reconciled.
   */
  boolean registered;

  boolean drainKillsSent;

  AgentEntry(AgentRecord record, Instant now, boolean registered) {
    this.record = record;
    this.lastSeen = now;
    this.registered = registered;
  }

  /** Registered, reachable and heartbeating: its messages flow. */
  boolean isLive() {
    return registered && unreachableSince == null;
  }

  AgentState state() {
    return unreachableSince != null ? AgentState.UNREACHABLE : record.state();
  }
}
