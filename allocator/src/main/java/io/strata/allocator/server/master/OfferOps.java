package io.strata.allocator.server.master;

import io.strata.allocator.core.OfferGrant;
import io.strata.allocator.server.master.AcceptPlanner.Launch;
import io.strata.allocator.server.master.AcceptPlanner.Plan;
import io.strata.allocator.server.master.AcceptPlanner.ReservationChange;
import io.strata.allocator.state.StateEvent;
import io.strata.allocator.state.TaskRecord;
import io.strata.api.AgentInfo;
import io.strata.api.FrameworkId;
import io.strata.api.Offer;
import io.strata.api.OfferId;
import io.strata.api.TaskState;
import io.strata.api.TaskStatus;
import io.strata.api.agent.AgentMessage;
import io.strata.api.scheduler.SchedulerEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Offers: turning the core's grants into offers, and taking them back (decline, rescind, expiry,
 * accept). Every call runs under the master's lock.
 */
final class OfferOps {
  private final Master m;

  OfferOps(Master master) {
    this.m = master;
  }

  /** One allocation cycle: the core's grants become offers on the frameworks' streams. */
  void allocate(Change c, Instant now) {
    long started = System.nanoTime();
    List<OfferGrant> grants = m.core.allocate(now);
    m.metrics.allocationCycle(System.nanoTime() - started);
    Map<FrameworkId, List<Offer>> byFramework = new LinkedHashMap<>();
    for (OfferGrant g : grants) {
      FrameworkEntry fw = m.frameworks.get(g.frameworkId());
      AgentEntry agent = m.agents.get(g.agentId());
      if (fw == null || !fw.connected() || agent == null || !agent.isLive()) {
        // The core should not have offered these; give them straight back.
        m.core.recoverResources(g.frameworkId(), g.agentId(), g.role(), g.resources(), null, null);
        continue;
      }
      AgentInfo info = agent.record.info();
      Offer offer =
          new Offer(
              m.offers.nextId(),
              g.frameworkId(),
              g.agentId(),
              info.hostname(),
              info.os(),
              info.attributes(),
              g.role(),
              g.resources());
      m.offers.add(offer, now);
      byFramework.computeIfAbsent(g.frameworkId(), f -> new ArrayList<>()).add(offer);
    }
    byFramework.forEach(
        (id, list) -> {
          m.metrics.offersMade(list.size());
          m.toFramework(c, m.frameworks.get(id), new SchedulerEvent.Offers(list));
        });
  }

  /** Takes an offer back from its framework, telling it (RESCIND) if {@code tell}. */
  void rescind(Change c, OutstandingOffer o, boolean tell) {
    Offer offer = o.offer();
    if (m.offers.remove(offer.id()).isEmpty()) {
      return;
    }
    if (m.core.hasAgent(offer.agentId()) && m.core.hasFramework(offer.frameworkId())) {
      m.core.recoverResources(
          offer.frameworkId(), offer.agentId(), offer.role(), offer.resources(), null, null);
    }
    m.metrics.offersRescinded(1);
    FrameworkEntry fw = m.frameworks.get(offer.frameworkId());
    if (tell && fw != null) {
      m.toFramework(c, fw, new SchedulerEvent.Rescind(offer.id()));
    }
    c.allocate();
  }

  void rescindAllOn(Change c, AgentEntry agent) {
    m.offers.ofAgent(agent.record.id()).forEach(o -> rescind(c, o, true));
  }

  void rescindAllOf(Change c, FrameworkEntry fw, boolean tell) {
    m.offers.ofFramework(fw.record.id()).forEach(o -> rescind(c, o, tell));
  }

  void decline(Change c, FrameworkId framework, List<OfferId> ids, double refuseSeconds) {
    Instant now = c.now();
    for (OfferId id : ids) {
      m.offers
          .get(id)
          .filter(o -> o.offer().frameworkId().equals(framework))
          .ifPresent(
              o -> {
                Offer offer = o.offer();
                m.offers.remove(id);
                m.core.recoverResources(
                    framework,
                    offer.agentId(),
                    offer.role(),
                    offer.resources(),
                    refuse(refuseSeconds),
                    now);
                m.metrics.offersDeclined(1);
                c.allocate();
              });
    }
  }

  /** Offers older than the configured timeout are rescinded. */
  void expire(Change c, Instant now) {
    Long timeout = m.config.offerTimeoutMillis();
    if (timeout == null) {
      return;
    }
    m.offers.olderThan(now.minusMillis(timeout)).forEach(o -> rescind(c, o, true));
  }

  boolean expired(OutstandingOffer o, Instant now) {
    Long timeout = m.config.offerTimeoutMillis();
    return timeout != null && !o.createdAt().plusMillis(timeout).isAfter(now);
  }

  /**
   * Carries out a validated ACCEPT: reservations, launches (RunTask after durability), leftover.
   */
  void accept(Change c, FrameworkEntry fw, Plan plan, double refuseSeconds) {
    Instant now = c.now();
    AgentEntry agent = m.agents.get(plan.agentId());
    FrameworkId fwId = fw.record.id();
    plan.offers().forEach(o -> m.offers.remove(o.offer().id()));
    m.metrics.offersAccepted(plan.offers().size());
    for (ReservationChange r : plan.reservations()) {
      if (r.reserve()) {
        m.core.reserve(fwId, plan.agentId(), plan.role(), r.resources());
      } else {
        m.core.unreserve(fwId, plan.agentId(), plan.role(), r.resources());
      }
    }
    if (!plan.reservations().isEmpty()) {
      c.journal(
          new StateEvent.ReservationsChanged(
              plan.agentId(),
              agent.record.withReservations(plan.dynamicReservations()).dynamicReservations()));
    }
    for (Launch l : plan.launches()) {
      TaskStatus staging =
          new TaskStatus(
              l.task().taskId(),
              fwId,
              plan.agentId(),
              TaskState.STAGING,
              null,
              null,
              TaskStatus.Source.ALLOCATOR,
              null,
              now,
              null,
              null);
      m.tasks()
          .add(
              c,
              new TaskRecord(
                  fwId, plan.agentId(), plan.role(), l.task(), l.consumed(), staging, List.of()));
      m.toAgent(c, agent, new AgentMessage.RunTask(fwId, fw.record.info(), l.task()));
    }
    if (!plan.leftover().isEmpty()) {
      m.core.recoverResources(
          fwId, plan.agentId(), plan.role(), plan.leftover(), refuse(refuseSeconds), now);
    }
    c.allocate();
  }

  /** A refuse time in (possibly fractional) seconds, validated by the API to [0, 365 days]. */
  private static Duration refuse(double seconds) {
    return Duration.ofNanos(Math.round(seconds * 1e9));
  }
}
