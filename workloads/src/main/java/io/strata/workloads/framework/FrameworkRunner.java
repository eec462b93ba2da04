package io.strata.workloads.framework;

import io.strata.api.FrameworkId;
import io.strata.api.FrameworkInfo;
import io.strata.api.client.AllocatorAddress;
import io.strata.api.client.AllocatorEndpoints;
import io.strata.api.client.ApiException;
import io.strata.api.client.NdjsonStream;
import io.strata.api.client.SchedulerClient;
import io.strata.api.scheduler.SchedulerEvent;
import io.strata.host.DurableFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs a {@link FrameworkHandler} against an allocator: subscribes (with the framework id saved in
 * {@code idFile}, so a restarted framework fails over and keeps its tasks and store), feeds events
 * to the handler on one event-loop thread, acknowledges status updates once handled, re-subscribes
 * with backoff when the stream breaks or goes silent, and ticks the handler's timers.
 *
 * <p>With several allocators (HA: a list of URLs or {@code zk://}), every subscription and call
 * goes to the leader ({@link io.strata.api.client.Failover}); when the leader dies the stream
 * breaks and the runner re-subscribes, with the same framework id, at the new leader, which keeps
 * the framework's tasks and store.
 */
public final class FrameworkRunner implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(FrameworkRunner.class.getName());
  private static final Duration TICK = Duration.ofMillis(200);
  private static final Duration MAX_RECONNECT_DELAY = Duration.ofSeconds(5);

  private final AllocatorEndpoints allocators;
  private final String token;
  private final FrameworkHandler handler;
  private final Clock clock;
  private final Path idFile;
  private final ScheduledExecutorService loop;

  /** Acknowledgements go out off the loop, coalesced into few calls. */
  private final Acknowledgements<SchedulerClient> acks =
      new Acknowledgements<>(SchedulerClient::acknowledge);

  // Touched only on the loop thread.
  private FrameworkId savedId;
  private SchedulerClient client;
  private long generation;
  private boolean subscribed;
  private long heartbeatMillis = 15_000;

  /**
   * When the stream last delivered an event, set as it arrives (not when the loop gets to it): a
   * loop busy with a long piece of work must not take the allocator for silent and re-subscribe.
   */
  private final AtomicLong lastEventMillis = new AtomicLong();

  /**
   * Pieces of work the loop finished (events, ticks, submitted work): for waiters to see it move.
   */
  private final AtomicLong progress = new AtomicLong();

  private int failedAttempts;
  private boolean closed;

  /**
   * @param idFile where the framework id is kept between runs (null: not kept; a restart then
   *     registers a new framework, whose store is empty)
   */
  public FrameworkRunner(
      URI allocator, String token, FrameworkHandler handler, Clock clock, Path idFile) {
    this(AllocatorAddress.of(allocator), token, handler, clock, idFile);
  }

  /**
   * @param allocators one URL, a list, or {@code zk://}: the runner follows the leader (and closes
   *     its ZooKeeper client when closed)
   */
  public FrameworkRunner(
      AllocatorAddress allocators,
      String token,
      FrameworkHandler handler,
      Clock clock,
      Path idFile) {
    // One for every subscription: the leader found by one is where the next one goes.
    this.allocators = AllocatorEndpoints.of(allocators);
    this.token = token;
    this.handler = handler;
    this.clock = clock;
    this.idFile = idFile;
    String name = handler.info().name();
    this.loop =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("framework " + name).unstarted(r));
  }

  public void start() {
    savedId = readId().orElse(null);
    loop.execute(this::connect);
    loop.scheduleWithFixedDelay(
        this::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Runs {@code work} on the event loop, where the handler's state may be read and changed. */
  public <T> CompletableFuture<T> submit(Callable<T> work) {
    CompletableFuture<T> result = new CompletableFuture<>();
    loop.execute(
        () -> {
          try {
            result.complete(work.call());
          } catch (Exception | Error e) {
            result.completeExceptionally(e);
          } finally {
            progress.incrementAndGet();
          }
        });
    return result;
  }

  /**
   * A count of the pieces of work the loop has finished: while it moves, work submitted behind them
   * is on its way (a caller waits on that, not on a fixed time however much is queued).
   */
  public long progress() {
    return progress.get();
  }

  /** True while subscribed (as seen from the loop; for status displays). */
  public CompletableFuture<Boolean> isSubscribed() {
    return submit(() -> subscribed);
  }

  private void connect() {
    if (closed) {
      return;
    }
    long gen = ++generation;
    FrameworkInfo info = handler.info();
    if (savedId != null) {
      info = info.withId(savedId);
    }
    SchedulerClient c = new SchedulerClient(allocators, token, null);
    try {
      c.subscribe(
          info,
          new NdjsonStream.Listener<>() {
            @Override
            public void event(SchedulerEvent event) {
              lastEventMillis.set(clock.millis());
              post(() -> onEvent(gen, event));
            }

            @Override
            public void closed(Optional<Throwable> cause) {
              post(() -> onClosed(gen, cause));
            }
          });
      client = c;
      lastEventMillis.set(clock.millis());
    } catch (ApiException e) {
      if (savedId != null && (e.status() == 404 || e.status() == 410)) {
        LOG.log(
            Level.WARNING,
            "{0}: the allocator no longer knows framework {1} ({2}); subscribing anew",
            info.name(),
            savedId,
            e.getMessage());
        savedId = null;
      } else {
        LOG.log(Level.INFO, "{0}: cannot subscribe yet: {1}", info.name(), e.getMessage());
      }
      scheduleReconnect();
    }
  }

  /** Hands work to the loop; after close() there is no loop, and nothing left to do. */
  private void post(Runnable work) {
    try {
      loop.execute(
          () -> {
            try {
              work.run();
            } finally {
              progress.incrementAndGet();
            }
          });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // Closed: the stream's last events are of no interest any more.
    }
  }

  private void onEvent(long gen, SchedulerEvent event) {
    if (gen != generation || closed) {
      return;
    }
    try {
      switch (event) {
        case SchedulerEvent.Subscribed s -> {
          boolean resumed = s.frameworkId().equals(savedId);
          savedId = s.frameworkId();
          writeId(savedId);
          subscribed = true;
          failedAttempts = 0;
          heartbeatMillis = Math.max(1000, s.heartbeatIntervalMillis());
          LOG.log(
              Level.INFO,
              "{0}: subscribed as {1}{2}",
              handler.info().name(),
              s.frameworkId(),
              resumed ? " (resumed)" : "");
          handler.subscribed(s.frameworkId(), new ClientLink(client), resumed);
        }
        case SchedulerEvent.Offers o -> handler.offers(o.offers());
        case SchedulerEvent.Rescind r -> handler.rescinded(r.offerId());
        case SchedulerEvent.Update u -> {
          handler.update(u.status());
          if (u.status().needsAcknowledgement()) {
            acknowledge(client, u.status());
          }
        }
        case SchedulerEvent.Failure f -> handler.agentLost(f.agentId());
        case SchedulerEvent.Drain d -> handler.agentDraining(d.agentId(), d.deadline());
        case SchedulerEvent.Error e ->
            LOG.log(Level.WARNING, "{0}: allocator error: {1}", handler.info().name(), e.message());
        case SchedulerEvent.Heartbeat h -> {}
      }
    } catch (RuntimeException e) {
      // One bad event must not stop the loop; a broken link closes the stream and reconnects.
      LOG.log(Level.WARNING, handler.info().name() + ": handling " + event + " failed", e);
    }
  }

  /**
   * Acknowledges an update the handler has taken in (and stored, if it had to), without holding the
   * loop: acknowledgements are coalesced into ACKNOWLEDGE_UPDATES calls ({@link Acknowledgements}).
   * The allocator resends what is not acknowledged, so a lost acknowledgement costs a duplicate
   * update, which handlers ignore.
   */
  private void acknowledge(SchedulerClient c, io.strata.api.TaskStatus status) {
    acks.add(c, status);
  }

  private void onClosed(long gen, Optional<Throwable> cause) {
    if (gen != generation || closed) {
      return;
    }
    LOG.log(
        Level.INFO,
        "{0}: subscription closed{1}; re-subscribing",
        handler.info().name(),
        cause.map(t -> ": " + t.getMessage()).orElse(""));
    dropSubscription();
    scheduleReconnect();
  }

  private void dropSubscription() {
    generation++;
    if (subscribed) {
      subscribed = false;
      try {
        handler.disconnected();
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, handler.info().name() + ": disconnected() failed", e);
      }
    }
    if (client != null) {
      client.close();
      client = null;
    }
  }

  private void scheduleReconnect() {
    failedAttempts++;
    long delay = Math.min(MAX_RECONNECT_DELAY.toMillis(), 100L << Math.min(failedAttempts, 6));
    loop.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
  }

  private void tick() {
    progress.incrementAndGet();
    if (closed || !subscribed) {
      return;
    }
    if (clock.millis() - lastEventMillis.get() > Math.max(3 * heartbeatMillis, 5_000)) {
      LOG.log(
          Level.WARNING,
          "{0}: no heartbeat from the allocator; re-subscribing",
          handler.info().name());
      dropSubscription();
      scheduleReconnect();
      return;
    }
    try {
      handler.tick(clock.instant());
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, handler.info().name() + ": tick failed", e);
    }
  }

  private Optional<FrameworkId> readId() {
    if (idFile == null || !Files.exists(idFile)) {
      return Optional.empty();
    }
    try {
      String text = Files.readString(idFile, StandardCharsets.UTF_8).strip();
      return text.isEmpty() ? Optional.empty() : Optional.of(FrameworkId.of(text));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the framework id from " + idFile, e);
    }
  }

  private void writeId(FrameworkId id) {
    if (idFile != null) {
      saveId(idFile, id);
    }
  }

  /**
   * Writes the framework id file atomically and durably: a framework that was told its id must find
   * it after a crash, or it would subscribe anew and lose its tasks.
   */
  public static void saveId(Path idFile, FrameworkId id) {
    try {
      DurableFiles.write(idFile, (id.value() + "\n").getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save the framework id to " + idFile, e);
    }
  }

  @Override
  public void close() {
    CompletableFuture<Void> done =
        submit(
            () -> {
              closed = true;
              dropSubscription();
              return null;
            });
    try {
      done.get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      LOG.log(Level.WARNING, "closing " + handler.info().name() + " did not finish cleanly", e);
    }
    loop.shutdownNow();
    acks.close();
    allocators.close();
  }
}
