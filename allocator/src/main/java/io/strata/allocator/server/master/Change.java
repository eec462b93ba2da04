package io.strata.allocator.server.master;

import io.strata.allocator.state.StateEvent;
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
  private boolean allocate;

  public void journal(StateEvent event) {
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
