package io.strata.allocator.server.master;

import io.strata.api.agent.AgentMessage;
import io.strata.api.scheduler.SchedulerEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge between a change's messages and the streams: puts each {@link Outbound} into the mailbox
 * of the stream it names. The mailbox is bound when the message is emitted (under the master's
 * lock, where the stream's name still denotes it); the put happens after the change is durable, on
 * the store's completion thread, and never blocks.
 */
final class Delivery {
  private static final Logger LOG = LoggerFactory.getLogger(Delivery.class);

  /** A message and the mailbox of the stream it names. */
  record Addressed(Outbound message, Mailbox<?> mailbox) {}

  private Delivery() {}

  @SuppressWarnings("unchecked")
  static void deliver(Addressed a) {
    switch (a.message()) {
      case Outbound.ToAgent m -> {
        if (!((Mailbox<AgentMessage>) a.mailbox()).put(m.message())) {
          LOG.warn("agent {}: mailbox full; message dropped", m.agentId());
        }
      }
      case Outbound.EndAgentStream m -> a.mailbox().finish();
      case Outbound.ToFramework m -> {
        if (!((Mailbox<SchedulerEvent>) a.mailbox()).put(m.event())) {
          // Too far behind (or already closed): end the subscription; it re-subscribes and gets
          // its unacknowledged updates again.
          a.mailbox().close();
        }
      }
      case Outbound.EndFrameworkStream m -> a.mailbox().finish();
    }
  }
}
