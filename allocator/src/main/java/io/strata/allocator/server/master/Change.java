package io.strata.allocator.server.master;

import io.strata.allocator.state.StateEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What one operation did, as data: the events to make durable and the messages to deliver once they
 * are. Built under the master's lock; committed in order, so streams see messages in the order the
 * state changed, and never before the change they announce is durable.
 */
public final class Change {
  private final List<StateEvent> events = new ArrayList<>();
  private final List<Runnable> deliveries = new ArrayList<>();
  private final MasterState state;
  private final Instant now;
  private boolean allocate;

  Change(MasterState state, Instant now) {
    this.state = state;
    this.now = now;
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

  /** Runs after the events are durable, on the journal's completion thread: must not block. */
  void deliver(Runnable delivery) {
    deliveries.add(delivery);
  }

  /** Resources were freed or demand changed: run an allocation cycle soon. */
  void allocate() {
    allocate = true;
  }

  List<StateEvent> events() {
    return events;
  }

  List<Runnable> deliveries() {
    return deliveries;
  }

  boolean wantsAllocation() {
    return allocate;
  }
}
