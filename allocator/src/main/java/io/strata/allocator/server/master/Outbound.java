package io.strata.allocator.server.master;

import io.strata.api.AgentId;
import io.strata.api.FrameworkId;
import io.strata.api.agent.AgentMessage;
import io.strata.api.scheduler.SchedulerEvent;

/**
 * A message an operation sends, as data: part of its {@link Change} beside the events, delivered by
 * {@link Delivery} (the edge) only once those events are durable, in the order emitted.
 *
 * <p>Streams are named, never held: an agent's stream by its id (one per agent, for its life), a
 * framework's by its subscription's {@code streamId} (a message for a subscription that another has
 * replaced since goes to the stream it was meant for, which is ended, never to the new one).
 */
public sealed interface Outbound {
  /** A message on the agent's stream (RunTask, KillTask, Acknowledge, Drain, ...). */
  record ToAgent(AgentId agentId, AgentMessage message) implements Outbound {}

  /** The agent was removed: its stream ends once what was sent before is read. */
  record EndAgentStream(AgentId agentId) implements Outbound {}

  /** An event on one subscription's stream of a framework. */
  record ToFramework(FrameworkId frameworkId, String streamId, SchedulerEvent event)
      implements Outbound {}

  /** The subscription ended (replaced or removed): its stream ends once it is read. */
  record EndFrameworkStream(FrameworkId frameworkId, String streamId) implements Outbound {}
}
