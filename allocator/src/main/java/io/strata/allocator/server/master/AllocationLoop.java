package io.strata.allocator.server.master;

import io.strata.allocator.server.config.AllocatorConfig;
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
 * by events, never polling in a busy loop) and checks timeouts (agent heartbeats, framework
 * failover, drain deadlines, offer expiry, ids to forget) every tick.
 *
 * <p>Two clocks: batching (at most one cycle per {@code allocationIntervalMillis}) and the tick
 * period are throughput throttles measured in real time, whereas what is due (offer filters,
 * heartbeat and failover deadlines) follows the injected {@link Clock}, so tests move time by hand
 * and the loop still runs.
 */
public final class AllocationLoop implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AllocationLoop.class);

  private final Master master;
  private final Clock clock;
  private final long tickNanos;
  private final long intervalNanos;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wake = lock.newCondition();
  private final Thread thread;
  private boolean triggered = true;
  private volatile boolean closed;

  public AllocationLoop(Master master, Clock clock, long tickMillis, long intervalMillis) {
    this.master = master;
    this.clock = clock;
    this.tickNanos = TimeUnit.MILLISECONDS.toNanos(tickMillis);
    this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(intervalMillis);
    this.thread = Thread.ofPlatform().name("allocation-loop").daemon().unstarted(this::run);
    master.onAllocationNeeded(this::trigger);
  }

  /** How often timeouts are checked for a configuration: a fraction of the shortest timeout. */
  public static long tickMillisFor(AllocatorConfig config) {
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

  public AllocationLoop start() {
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
    long lastTick = System.nanoTime() - tickNanos;
    long lastCycle = System.nanoTime() - intervalNanos;
    while (!closed) {
      try {
        long nanos = System.nanoTime();
        if (nanos - lastTick >= tickNanos) {
          Instant now = clock.instant();
          master.runAsync(
              now,
              c -> {
                master.agents().tick(c, now);
                master.frameworks().tick(c, now);
                master.offerOps().expire(c, now);
                master.retention().tick(c, now);
              });
          lastTick = nanos;
        }
        consumeTrigger();
        Instant now = clock.instant();
        Optional<Instant> due = master.read(master.core::nextWakeup);
        long waitNanos = tickNanos - (nanos - lastTick);
        if (due.isPresent() && !due.get().isAfter(now)) {
          long sinceCycle = nanos - lastCycle;
          if (sinceCycle >= intervalNanos) {
            master.runAsync(now, c -> master.offerOps().allocate(c, now));
            lastCycle = System.nanoTime();
            continue;
          }
          waitNanos = Math.min(waitNanos, intervalNanos - sinceCycle);
        } else if (due.isPresent()) {
          waitNanos = Math.min(waitNanos, Duration.between(now, due.get()).toNanos());
        }
        await(Math.max(TimeUnit.MILLISECONDS.toNanos(1), waitNanos));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        LOG.error("allocation loop: unexpected failure; continuing", e);
        try {
          await(tickNanos);
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

  private void await(long nanos) throws InterruptedException {
    lock.lock();
    try {
      if (!triggered && !closed) {
        wake.awaitNanos(nanos);
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
