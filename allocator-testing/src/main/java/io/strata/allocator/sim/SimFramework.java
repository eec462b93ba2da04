package io.strata.allocator.sim;

import io.strata.api.FrameworkId;
import io.strata.api.FrameworkInfo;
import io.strata.api.Offer;
import java.util.ArrayList;
import java.util.List;

/** A fake framework: its info, its policy, and a record of what it received and launched. */
public final class SimFramework {
  private final FrameworkInfo info;
  private FrameworkPolicy policy;
  final List<Offer> offers = new ArrayList<>();
  final List<SimTask> running = new ArrayList<>();
  int launched;
  int declined;
  long offerCount;
  boolean suppressed;

  SimFramework(FrameworkInfo info, FrameworkPolicy policy) {
    this.info = info;
    this.policy = policy;
  }

  public FrameworkId id() {
    return info.id();
  }

  public FrameworkInfo info() {
    return info;
  }

  public FrameworkPolicy policy() {
    return policy;
  }

  public void setPolicy(FrameworkPolicy newPolicy) {
    this.policy = newPolicy;
  }

  /** How many offers it received. */
  public long offerCount() {
    return offerCount;
  }

  /** Every offer received, in order (empty if the simulation does not record offers). */
  public List<Offer> offers() {
    return List.copyOf(offers);
  }

  public List<SimTask> running() {
    return List.copyOf(running);
  }

  /** Tasks launched so far (finished ones included). */
  public int launched() {
    return launched;
  }

  public int declined() {
    return declined;
  }

  public boolean done() {
    return launched >= policy.maxTasks();
  }

  @Override
  public String toString() {
    return info.name();
  }
}
