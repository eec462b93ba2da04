package io.strata.api.client;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.strata.api.AgentId;
import io.strata.api.FrameworkId;
import io.strata.api.FrameworkInfo;
import io.strata.api.OfferId;
import io.strata.api.TaskId;
import io.strata.api.json.Codec;
import io.strata.api.scheduler.Acknowledgement;
import io.strata.api.scheduler.LaunchedTask;
import io.strata.api.scheduler.Operation;
import io.strata.api.scheduler.SchedulerCall;
import io.strata.api.scheduler.SchedulerEvent;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * A framework's client for the scheduler API. {@link #subscribe} opens the event stream; the other
 * calls need the stream to be open (they carry its id).
 */
public final class SchedulerClient implements AutoCloseable {
  private final HttpTransport http;
  private volatile NdjsonStream<SchedulerEvent> stream;
  private volatile String streamId;
  private volatile FrameworkId frameworkId;

  public SchedulerClient(URI allocator, String token) {
    this(allocator, token, null);
  }

  /**
   * @param tls for an {@code https} allocator: the TLS context to trust it with (e.g. {@link
   *     ClusterTrust#context()}); null takes the JVM's default
   */
  public SchedulerClient(URI allocator, String token, javax.net.ssl.SSLContext tls) {
    this(AllocatorEndpoints.of(allocator), token, tls);
  }

  /**
   * A client of whichever of {@code allocators} leads: calls and the subscription go to the leader
   * ({@link Failover}). When the stream breaks (the leader died), subscribing again with the
   * framework's id re-subscribes at the new leader. The caller closes {@code allocators}; it may
   * share them between successive clients so the leader found by one is where the next one goes.
   */
  public SchedulerClient(
      AllocatorEndpoints allocators, String token, javax.net.ssl.SSLContext tls) {
    this.http = new HttpTransport(allocators, token, java.time.Duration.ofSeconds(30), tls);
  }

  /**
   * Subscribes (or re-subscribes, if {@code framework.id()} is set) and returns once the stream is
   * open; SUBSCRIBED is the first event the listener gets.
   */
  public NdjsonStream<SchedulerEvent> subscribe(
      FrameworkInfo framework, NdjsonStream.Listener<SchedulerEvent> listener) {
    return subscribe(framework, Set.of(), listener);
  }

  /**
   * Subscribes like {@link #subscribe(FrameworkInfo, NdjsonStream.Listener)}, suppressing offers
   * for {@code suppressedRoles} (some of the framework's roles) until it revives them.
   */
  public NdjsonStream<SchedulerEvent> subscribe(
      FrameworkInfo framework,
      Set<String> suppressedRoles,
      NdjsonStream.Listener<SchedulerEvent> listener) {
    NdjsonStream.Listener<SchedulerEvent> tracking =
        new NdjsonStream.Listener<>() {
          @Override
          public void event(SchedulerEvent event) {
            if (event instanceof SchedulerEvent.Subscribed s) {
              frameworkId = s.frameworkId();
              streamId = s.streamId();
            }
            listener.event(event);
          }

          @Override
          public void closed(Optional<Throwable> cause) {
            listener.closed(cause);
          }
        };
    NdjsonStream<SchedulerEvent> opened =
        http.stream(
            "POST",
            Paths.SCHEDULER,
            new SchedulerCall.Subscribe(framework, suppressedRoles),
            SchedulerEvent.class,
            Map.of(),
            tracking);
    opened.header(Paths.STREAM_ID_HEADER).ifPresent(id -> streamId = id);
    this.stream = opened;
    return opened;
  }

  public FrameworkId frameworkId() {
    return frameworkId;
  }

  public void call(SchedulerCall call) {
    if (streamId == null) {
      throw new IllegalStateException("subscribe first: calls carry the subscription's stream id");
    }
    http.send("POST", Paths.SCHEDULER, call, null, Map.of(Paths.STREAM_ID_HEADER, streamId));
  }

  /**
   * Accepts; what the operations leave unused is refused for {@code refuseSeconds} (0.5: 500 ms).
   */
  public void accept(List<OfferId> offers, List<Operation> operations, double refuseSeconds) {
    call(new SchedulerCall.Accept(frameworkId, offers, operations, refuseSeconds));
  }

  /** Declines; the resources are not offered back for {@code refuseSeconds} (0.5: 500 ms). */
  public void decline(List<OfferId> offers, double refuseSeconds) {
    call(new SchedulerCall.Decline(frameworkId, offers, refuseSeconds));
  }

  public void kill(TaskId task, Long gracePeriodMillis) {
    call(new SchedulerCall.Kill(frameworkId, task, gracePeriodMillis));
  }

  /**
   * Kills many tasks in one call (KILL_TASKS, at most {@link SchedulerCall.KillTasks#MAX_TASKS}).
   */
  public void kill(List<TaskId> tasks, Long gracePeriodMillis) {
    call(new SchedulerCall.KillTasks(frameworkId, tasks, gracePeriodMillis));
  }

  public void acknowledge(AgentId agent, TaskId task, UUID uuid) {
    call(new SchedulerCall.Acknowledge(frameworkId, agent, task, uuid));
  }

  /**
   * Acknowledges many updates in one call (ACKNOWLEDGE_UPDATES, at most {@link
   * SchedulerCall.AcknowledgeUpdates#MAX_UPDATES}).
   */
  public void acknowledge(List<Acknowledgement> updates) {
    call(new SchedulerCall.AcknowledgeUpdates(frameworkId, updates));
  }

  public void reconcile(List<TaskId> tasks) {
    call(new SchedulerCall.Reconcile(frameworkId, tasks));
  }

  public void revive(Set<String> roles) {
    call(new SchedulerCall.Revive(frameworkId, roles));
  }

  public void suppress(Set<String> roles) {
    call(new SchedulerCall.Suppress(frameworkId, roles));
  }

  public void teardown() {
    call(new SchedulerCall.Teardown(frameworkId));
  }

  /** The framework's tasks as the allocator records them (where each runs, with what). */
  public List<LaunchedTask> tasks() {
    return http.send(
        "GET",
        Paths.frameworkTasks(frameworkId.value()),
        null,
        Codec.JSON.mapper().constructType(new TypeReference<List<LaunchedTask>>() {}),
        Map.of());
  }

  /** Stores a JSON value under {@code key} in the framework's durable store at the allocator. */
  public void put(String key, JsonNode value) {
    http.send("PUT", Paths.storeKey(frameworkId.value(), key), value, null, Map.of());
  }

  /** The value stored under {@code key}, if any. */
  public Optional<JsonNode> get(String key) {
    try {
      return Optional.ofNullable(
          http.send(
              "GET",
              Paths.storeKey(frameworkId.value(), key),
              null,
              Codec.JSON.mapper().constructType(JsonNode.class),
              Map.of()));
    } catch (ApiException e) {
      if (e.status() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }

  public void delete(String key) {
    http.send("DELETE", Paths.storeKey(frameworkId.value(), key), null, null, Map.of());
  }

  /** The keys in the framework's store. */
  public List<String> keys() {
    return http.send(
        "GET",
        Paths.store(frameworkId.value()),
        null,
        Codec.JSON.mapper().constructType(new TypeReference<List<String>>() {}),
        Map.of());
  }

  @Override
  public void close() {
    NdjsonStream<SchedulerEvent> s = stream;
    if (s != null) {
      s.close();
    }
  }
}
