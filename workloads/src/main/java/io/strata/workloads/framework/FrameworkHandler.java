package io.strata.workloads.framework;

import io.strata.api.AgentId;
import io.strata.api.FrameworkId;
import io.strata.api.FrameworkInfo;
import io.strata.api.Offer;
import io.strata.api.OfferId;
import io.strata.api.TaskStatus;
import java.time.Instant;
import java.util.List;

/**
 * A framework's policy, driven by {@link FrameworkRunner}. Every method is called on the runner's
 * single event-loop thread, one at a time, so implementations need no locks; they may block on
 * {@link SchedulerLink} calls (loopback HTTP) but never for long otherwise.
 */
public interface FrameworkHandler {
  /** How the framework subscribes: its name and roles (the runner adds the id on failover). */
  FrameworkInfo info();

  /**
   * The subscription is open. {@code resumed} is true when the allocator knew the framework already
   * (its tasks and store survived): load state from the store and reconcile.
   */
  void subscribed(FrameworkId id, SchedulerLink link, boolean resumed);

  /** The subscription broke; the runner re-subscribes. Outstanding offers are void. */
  void disconnected();

  void offers(List<Offer> offers);

  void rescinded(OfferId offer);

  /**
   * A task status update. The runner acknowledges it after this returns, so whatever must survive a
   * restart because of it must be stored before returning.
   */
  void update(TaskStatus status);

  /** An agent was lost; its tasks get their own updates. */
  void agentLost(AgentId agent);

  /** An agent is draining: move tasks off it before {@code deadline} (null: no deadline). */
  void agentDraining(AgentId agent, Instant deadline);

  /** Called every tick (a fraction of a second) for timers: backoffs, schedules, deadlines. */
  void tick(Instant now);
}
