package io.strata.allocator.server;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The allocator's heartbeat: one thread that runs allocation cycles when the core has work (woken
 * by events, batched by the core's minimum interval, never polling in a busy loop) and checks
 * timeouts (agent heartbeats, framework failover, drain deadlines, offer expiry) every tick.
 */
final class AllocationLoop implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AllocationLoop.class);

  private final Master master;
  private final Clock clock;
  private final long tickMillis;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wake = lock.newCondition();
  private final Thread thread;
  private boolean triggered = true;
  private volatile boolean closed;

  AllocationLoop(Master master, Clock clock, long tickMillis) {
    this.master = master;
    this.clock = clock;
    this.tickMillis = tickMillis;
    this.thread = Thread.ofPlatform().name("allocation-loop").daemon().unstarted(this::run);
    master.onAllocationNeeded(this::trigger);
  }

  /** How often timeouts are checked for a configuration: a fraction of the shortest timeout. */
  static long tickMillisFor(AllocatorConfig config) {
    long shortest =
        Math.min(config.agentHeartbeatIntervalMillis(), config.agentUnreachableAfterMillis());
    if (config.agentGoneAfterMillis() > 0) {
      shortest = Math.min(shortest, config.agentGoneAfterMillis());
    }
    if (config.offerTimeoutMillis() != null) {
      shortest = Math.min(shortest, config.offerTimeoutMillis());
    }
    return Math.max(10, Math.min(1000, shortest / 5));
  }

  AllocationLoop start() {
    thread.start();
    return this;
  }

  /** Something changed that may allow new offers. */
  void trigger() {
    lock.lock();
    try {
      triggered = true;
      wake.signal();
    } finally {
      lock.unlock();
    }
  }

  private void run() {
    Instant nextTick = clock.instant();
    while (!closed) {
      try {
        Instant now = clock.instant();
        if (!now.isBefore(nextTick)) {
          master.runAsync(
              c -> {
                master.agents().tick(c, now);
                master.frameworks().tick(c, now);
                master.offerOps().expire(c, now);
              });
          nextTick = now.plusMillis(tickMillis);
        }
        Optional<Instant> due = master.read(master.core::nextWakeup);
        boolean wasTriggered = consumeTrigger();
        if (due.isPresent() && !due.get().isAfter(now)) {
          master.runAsync(c -> master.offerOps().allocate(c, now));
          continue;
        }
        if (wasTriggered && due.isEmpty()) {
          continue; // the trigger may have come before the core saw the change; look again
        }
        long waitMillis = tickMillis;
        if (due.isPresent()) {
          waitMillis =
              Math.min(waitMillis, Math.max(1, Duration.between(now, due.get()).toMillis()));
        }
        await(waitMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        LOG.error("allocation loop: unexpected failure; continuing", e);
        try {
          await(tickMillis);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private boolean consumeTrigger() {
    lock.lock();
    try {
      boolean t = triggered;
      triggered = false;
      return t;
    } finally {
      lock.unlock();
    }
  }

  private void await(long millis) throws InterruptedException {
    lock.lock();
    try {
      if (!triggered && !closed) {
        wake.await(millis, TimeUnit.MILLISECONDS);
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    closed = true;
    trigger();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
