package io.strata.workloads.framework;

import io.strata.api.TaskStatus;
import io.strata.api.client.ApiException;
import io.strata.api.scheduler.Acknowledgement;
import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Acknowledgements on their way to the allocator through a client {@code C} (a subscription's
 * {@link io.strata.api.client.SchedulerClient}), coalesced: each call (ACKNOWLEDGE_UPDATES) carries
 * everything queued when it leaves, at most {@link #MAX_BATCH}, with at most {@link #MAX_IN_FLIGHT}
 * calls on their way; what arrives meanwhile waits for the next call (group commit). {@link #add}
 * never blocks, so the framework's loop is never held. A lost acknowledgement costs a duplicate
 * update after the next subscription, which handlers ignore.
 */
final class Acknowledgements<C> implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(Acknowledgements.class.getName());
  static final int MAX_BATCH = 1000;
  static final int MAX_IN_FLIGHT = 4;

  private record Pending<C>(C client, Acknowledgement ack) {}

  /**
   * Sends one call through a client; throws {@link ApiException} (or IllegalStateException for a
   * closed client) when it fails. May block.
   */
  interface Sender<C> {
    void send(C client, List<Acknowledgement> batch);
  }

  private final Sender<C> sender;
  private final ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();
  private final ArrayDeque<Pending<C>> queue = new ArrayDeque<>();
  private int inFlight;
  private boolean closed;

  Acknowledgements(Sender<C> sender) {
    this.sender = sender;
  }

  /** Queues the acknowledgement of {@code status} (which has a uuid), to go through {@code c}. */
  void add(C c, TaskStatus status) {
    synchronized (this) {
      if (closed) {
        return;
      }
      queue.addLast(new Pending<>(c, Acknowledgement.of(status)));
      if (inFlight >= MAX_IN_FLIGHT) {
        return;
      }
      inFlight++;
    }
    senders.execute(this::drain);
  }

  private void drain() {
    while (true) {
      C via;
      List<Acknowledgement> batch = new ArrayList<>();
      synchronized (this) {
        if (queue.isEmpty() || closed) {
          inFlight--;
          return;
        }
        via = queue.peekFirst().client();
        // One call per subscription: acknowledgements queued for an older one go on their own.
        while (!queue.isEmpty() && batch.size() < MAX_BATCH && queue.peekFirst().client() == via) {
          batch.add(queue.pollFirst().ack());
        }
      }
      try {
        sender.send(via, batch);
      } catch (ApiException | IllegalStateException e) {
        LOG.log(Level.DEBUG, "acknowledging {0} updates failed: {1}", batch.size(), e.getMessage());
      }
    }
  }

  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      queue.clear();
    }
    senders.shutdownNow();
  }
}
