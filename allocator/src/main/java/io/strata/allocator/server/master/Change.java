package io.strata.allocator.server.master;

import io.strata.allocator.state.StateEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * What one operation did, as data: given the time ({@link #now}), the events to make durable and
 * the messages ({@link Outbound}) to deliver once they are. Built under the master's lock;
 * committed in order, so streams see messages in the order the state changed, and never before the
 * change they announce is durable.
 */
public final class Change {
  private final List<StateEvent> events = new ArrayList<>();
  private final List<Delivery.Addressed> outbound = new ArrayList<>();
  private final MasterState state;
  private final Instant now;
  private final Supplier<UUID> ids;
  private boolean allocate;

  Change(MasterState state, Instant now, Supplier<UUID> ids) {
    this.state = state;
    this.now = now;
    this.ids = ids;
  }

  /**
   * A new unique id (agent and framework ids, stream ids, the uuids of updates the allocator
   * makes), from the source the master was given: operations draw no randomness of their own.
   */
  UUID newId() {
    return ids.get();
  }

  /**
   * The time of this operation, read once by whoever runs it ({@link Master#run} from its clock,
   * the allocation loop from its own): operations take the time from here and read no clock.
   */
  public Instant now() {
    return now;
  }

  /**
   * Makes {@code event} part of this change and applies it to the master's state at once: the only
   * way the durable state changes. The caller has validated; nothing here refuses.
   */
  public void journal(StateEvent event) {
    state.apply(event, now);
    events.add(event);
  }

  /**
   * Sends {@code message} once the events are durable, to {@code mailbox}: the one its stream name
   * denotes now (the edge's binding, which {@link Delivery} uses).
   */
  void send(Outbound message, Mailbox<?> mailbox) {
    outbound.add(new Delivery.Addressed(message, mailbox));
  }

  /** Resources were freed or demand changed: run an allocation cycle soon. */
  void allocate() {
    allocate = true;
  }

  /** The events, in the order applied. */
  public List<StateEvent> events() {
    return events;
  }

  /** The messages, in the order sent. */
  public List<Outbound> outbound() {
    return outbound.stream().map(Delivery.Addressed::message).toList();
  }

  List<Delivery.Addressed> addressed() {
    return outbound;
  }

  boolean wantsAllocation() {
    return allocate;
  }
}
