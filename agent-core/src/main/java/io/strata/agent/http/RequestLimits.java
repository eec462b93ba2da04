package io.strata.agent.http;

import java.net.InetAddress;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * How many requests the agent's endpoint serves at once: in total, and from one client address.
 * Never waits: a request over a limit is refused at once (the endpoint answers 429 or 503), so one
 * client cannot queue up work that starves the others. {@code /health} is not counted.
 */
final class RequestLimits {
  /** Why a request was not admitted. */
  enum Refusal {
    CLIENT,
    TOTAL
  }

  /** A slot held while a request is served; close it once. */
  interface Slot extends AutoCloseable {
    @Override
    void close();
  }

  private final int perClient;
  private final Semaphore total;
  private final ConcurrentHashMap<InetAddress, Integer> clients = new ConcurrentHashMap<>();

  RequestLimits(int total, int perClient) {
    if (total < 1 || perClient < 1) {
      throw new IllegalArgumentException("limits must be >= 1");
    }
    this.total = new Semaphore(total);
    this.perClient = perClient;
  }

  /** A slot for a request from {@code client}, or why there is none. */
  Admission admit(InetAddress client) {
    boolean[] admitted = new boolean[1];
    clients.compute(
        client,
        (c, n) -> {
          int held = n == null ? 0 : n;
          admitted[0] = held < perClient;
          return admitted[0] ? held + 1 : n;
        });
    if (!admitted[0]) {
      return new Admission(Optional.empty(), Refusal.CLIENT);
    }
    if (!total.tryAcquire()) {
      release(client);
      return new Admission(Optional.empty(), Refusal.TOTAL);
    }
    Slot slot =
        new Slot() {
          private boolean closed;

          @Override
          public synchronized void close() {
            if (!closed) {
              closed = true;
              total.release();
              release(client);
            }
          }
        };
    return new Admission(Optional.of(slot), null);
  }

  private void release(InetAddress client) {
    clients.computeIfPresent(client, (c, n) -> n <= 1 ? null : n - 1);
  }

  /** A slot, or the refusal. */
  record Admission(Optional<Slot> slot, Refusal refusal) {}
}
