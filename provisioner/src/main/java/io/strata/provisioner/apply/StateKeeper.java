package io.strata.provisioner.apply;

import io.strata.provisioner.core.ClusterRecord;
import io.strata.provisioner.state.StateStore;
import java.util.function.UnaryOperator;

/** The current state of one cluster, saved after every change (one writer at a time). */
final class StateKeeper {
  private final StateStore store;
  private ClusterRecord current;

  StateKeeper(StateStore store, ClusterRecord initial) {
    this.store = store;
    this.current = initial;
  }

  synchronized ClusterRecord get() {
    return current;
  }

  synchronized ClusterRecord update(UnaryOperator<ClusterRecord> change) {
    current = change.apply(current);
    store.save(current);
    return current;
  }
}
