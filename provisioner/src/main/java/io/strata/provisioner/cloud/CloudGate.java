package io.strata.provisioner.cloud;

import io.strata.api.Backoff;
import io.strata.provisioner.core.TokenBucket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Every call a provider makes to its cloud goes through here: at most {@code parallelism} requests
 * in flight, writes paced by the cloud's token bucket, and (for SDKs without their own) retries
 * with exponential backoff and jitter on 429, 5xx and connection failures, honouring Retry-After
 * (which holds back every worker, not only the one that was told). Thread-safe.
 *
 * <p>One layer retries, never two: a provider whose SDK retries (Azure: its retry policy,
 * configured) calls {@link #writeOnce}/{@link #readOnce}, which pace and bound but do not retry,
 * and reports each retry its SDK makes to {@link #retriedBelow}; a provider whose SDK has no retry
 * (OpenStack4j) calls {@link #write}/{@link #read}, and the gate retries.
 *
 * <p>A connection failure before the cloud ever answered is not retried: an unreachable endpoint
 * (no network, a wrong URL, a closed port) fails the first call at once, instead of backing off for
 * minutes with nothing to show; the provider's message names the endpoint. Once the cloud has
 * answered, connection failures are transient and retried like 5xx.
 */
public final class CloudGate {
  private static final ThreadLocal<Boolean> URGENT = ThreadLocal.withInitial(() -> false);
  private final Object slotLock = new Object();
  private int freeSlots;
  private int urgentWaiting;
  private final TokenBucket writes;
  private final Backoff backoff;
  private final Ticker ticker;
  private final RandomGenerator random;
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong retries = new AtomicLong();
  private final AtomicLong throttled = new AtomicLong();
  private final java.util.concurrent.atomic.AtomicBoolean answered =
      new java.util.concurrent.atomic.AtomicBoolean();
  private final java.util.concurrent.atomic.AtomicBoolean succeeded =
      new java.util.concurrent.atomic.AtomicBoolean();

  /** Time and sleeping, injectable for tests. */
  public interface Ticker {
    long nanoTime();

    void sleepNanos(long nanos) throws InterruptedException;

    Ticker SYSTEM =
        new Ticker() {
          @Override
          public long nanoTime() {
            return System.nanoTime();
          }

          @Override
          public void sleepNanos(long nanos) throws InterruptedException {
            Thread.sleep(Duration.ofNanos(nanos));
          }
        };
  }

  /** The write limit of a cloud: a bucket of {@code burst} refilled at {@code perSecond}. */
  public record RateLimit(int burst, double perSecond) {
    /** Azure Resource Manager's write bucket. */
    public static final RateLimit ARM = new RateLimit(200, 10);

    /** A conservative default for OpenStack APIs. */
    public static final RateLimit OPENSTACK = new RateLimit(50, 5);

    public static final RateLimit UNLIMITED = new RateLimit(1_000_000, 1_000_000);
  }

  public CloudGate(
      int parallelism, RateLimit limit, Backoff backoff, Ticker ticker, RandomGenerator random) {
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be >= 1");
    }
    this.freeSlots = parallelism;
    this.writes = new TokenBucket(limit.burst(), limit.perSecond(), ticker.nanoTime());
    this.backoff = backoff;
    this.ticker = ticker;
    this.random = random;
  }

  public static CloudGate standard(int parallelism, RateLimit limit, long seed) {
    return new CloudGate(
        parallelism,
        limit,
        new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), 8),
        Ticker.SYSTEM,
        java.util.random.RandomGeneratorFactory.of("L64X128MixRandom").create(seed));
  }

  /** A call that changes something: paced by the write bucket. */
  public <T> T write(String what, Supplier<T> call) {
    return run(what, true, call);
  }

  public void write(String what, Runnable call) {
    run(
        what,
        true,
        () -> {
          call.run();
          return null;
        });
  }

  /** A call that only reads. */
  public <T> T read(String what, Supplier<T> call) {
    return run(what, false, call);
  }

  /** A write whose retries the SDK below makes: paced and bounded here, tried once. */
  public <T> T writeOnce(String what, Supplier<T> call) {
    return run(what, true, false, call);
  }

  /** A read whose retries the SDK below makes: bounded here, tried once. */
  public <T> T readOnce(String what, Supplier<T> call) {
    return run(what, false, false, call);
  }

  /**
   * The SDK below retries a call that got {@code status} (0: the connection failed): counted as the
   * gate's own retries are, and a 429 closes the write bucket for everyone for {@code retryAfter}
   * (null: 1 s), as when the gate retries itself.
   */
  public void retriedBelow(int status, Duration retryAfter) {
    retries.incrementAndGet();
    if (status == 429) {
      throttle(retryAfter);
    }
  }

  private void throttle(Duration retryAfter) {
    throttled.incrementAndGet();
    Duration after = retryAfter == null ? Duration.ofSeconds(1) : retryAfter;
    synchronized (writes) {
      long now = ticker.nanoTime();
      writes.closeUntil(now + after.toNanos(), now);
    }
  }

  private <T> T run(String what, boolean write, Supplier<T> call) {
    return run(what, write, true, call);
  }

  private <T> T run(String what, boolean write, boolean retry, Supplier<T> call) {
    for (int attempt = 1; ; attempt++) {
      if (write) {
        takeToken();
      }
      acquireSlot(what);
      CloudException failure;
      try {
        requests.incrementAndGet();
        T result = call.get();
        answered.set(true);
        succeeded.set(true);
        return result;
      } catch (CloudException e) {
        failure = e;
        if (e.status() != 0) {
          answered.set(true);
        }
      } finally {
        releaseSlot();
      }
      boolean unreachable = failure.status() == 0 && !answered.get();
      if (!retry || !failure.retryable() || backoff.exhausted(attempt) || unreachable) {
        throw failure;
      }
      retries.incrementAndGet();
      if (failure.status() == 429) {
        throttle(failure.retryAfter());
      }
      Duration delay;
      synchronized (random) {
        delay = backoff.delay(attempt, failure.retryAfter(), random);
      }
      sleep(delay.toNanos(), what);
    }
  }

  /**
   * Runs {@code work} with its calls ahead of everyone else's in the queue for request slots: for
   * the critical path (the allocators, which every agent needs), so a thousand agents polling do
   * not delay it.
   */
  public static <T> T urgently(java.util.concurrent.Callable<T> work) throws Exception {
    boolean before = URGENT.get();
    URGENT.set(true);
    try {
      return work.call();
    } finally {
      URGENT.set(before);
    }
  }

  private void acquireSlot(String what) {
    boolean urgent = URGENT.get();
    synchronized (slotLock) {
      if (urgent) {
        urgentWaiting++;
      }
      try {
        while (freeSlots == 0 || (!urgent && urgentWaiting > 0)) {
          slotLock.wait();
        }
        freeSlots--;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CloudException(0, null, "interrupted before " + what, e);
      } finally {
        if (urgent) {
          urgentWaiting--;
        }
      }
    }
  }

  private void releaseSlot() {
    synchronized (slotLock) {
      freeSlots++;
      slotLock.notifyAll();
    }
  }

  private void takeToken() {
    while (true) {
      long wait;
      synchronized (writes) {
        wait = writes.tryTake(ticker.nanoTime());
      }
      if (wait == 0) {
        return;
      }
      sleep(wait, "a write token");
    }
  }

  private void sleep(long nanos, String what) {
    try {
      ticker.sleepNanos(nanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CloudException(0, null, "interrupted waiting for " + what, e);
    }
  }

  /**
   * Whether the cloud has answered any call (an error status counts): false means nothing can have
   * been created through this gate.
   */
  public boolean answered() {
    return answered.get();
  }

  /**
   * Whether any call succeeded: false means the cloud refused or never answered everything so far
   * (a wrong password, an unreachable endpoint), so nothing was created through this gate.
   */
  public boolean succeeded() {
    return succeeded.get();
  }

  public long requests() {
    return requests.get();
  }

  public long retries() {
    return retries.get();
  }

  public long throttled() {
    return throttled.get();
  }
}
