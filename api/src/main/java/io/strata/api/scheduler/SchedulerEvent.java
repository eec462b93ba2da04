package io.strata.api.scheduler;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.strata.api.AgentId;
import io.strata.api.FrameworkId;
import io.strata.api.Offer;
import io.strata.api.OfferId;
import io.strata.api.TaskStatus;
import java.time.Instant;
import java.util.List;

/** An event on a framework's subscription stream (one JSON object per line). */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = SchedulerEvent.Subscribed.class, name = "SUBSCRIBED"),
  @JsonSubTypes.Type(value = SchedulerEvent.Offers.class, name = "OFFERS"),
  @JsonSubTypes.Type(value = SchedulerEvent.Rescind.class, name = "RESCIND"),
  @JsonSubTypes.Type(value = SchedulerEvent.Update.class, name = "UPDATE"),
  @JsonSubTypes.Type(value = SchedulerEvent.Failure.class, name = "FAILURE"),
  @JsonSubTypes.Type(value = SchedulerEvent.Drain.class, name = "DRAIN"),
  @JsonSubTypes.Type(value = SchedulerEvent.Error.class, name = "ERROR"),
  @JsonSubTypes.Type(value = SchedulerEvent.Heartbeat.class, name = "HEARTBEAT")
})
public sealed interface SchedulerEvent {

  /** First event of a stream: the framework's id and how often HEARTBEAT will come. */
  record Subscribed(FrameworkId frameworkId, String streamId, long heartbeatIntervalMillis)
      implements SchedulerEvent {}

  /** New offers. */
  record Offers(List<Offer> offers) implements SchedulerEvent {
    public Offers {
      offers = offers == null ? List.of() : List.copyOf(offers);
    }
  }

  /** An offer is no longer valid; accepting it will fail. */
  record Rescind(OfferId offerId) implements SchedulerEvent {}

  /** A task status update; acknowledge it if it has a uuid. */
  record Update(TaskStatus status) implements SchedulerEvent {}

  /** An agent was lost (its tasks get their own updates). */
  record Failure(AgentId agentId, String message) implements SchedulerEvent {}

  /**
   * An agent is being drained for maintenance: no new offers from it; its tasks will be killed at
   * {@code deadline} (never, if null) unless the framework moves them first.
   */
  record Drain(AgentId agentId, String hostname, Instant deadline) implements SchedulerEvent {}

  /** The subscription failed; the stream closes after this. */
  record Error(String message) implements SchedulerEvent {}

  /** Keep-alive; a framework that misses several should re-subscribe. */
  record Heartbeat() implements SchedulerEvent {}
}
