package io.strata.allocator.server;

import io.strata.api.FrameworkId;
import io.strata.api.FrameworkInfo;
import io.strata.api.Offer;
import io.strata.api.TaskId;
import io.strata.api.TaskState;
import io.strata.api.TaskStatus;
import io.strata.api.client.NdjsonStream;
import io.strata.api.client.SchedulerClient;
import io.strata.api.scheduler.SchedulerEvent;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.awaitility.Awaitility;

/** A framework on the real scheduler API (through {@link SchedulerClient}) recording its events. */
final class FakeFramework implements AutoCloseable {
  final SchedulerClient client;
  final List<SchedulerEvent> events = new CopyOnWriteArrayList<>();
  volatile FrameworkInfo info;
  volatile Set<String> suppressedRoles = Set.of();
  volatile boolean closedByServer;

  FakeFramework(URI allocator, String token, String name, Set<String> roles) {
    this.client = new SchedulerClient(allocator, token);
    this.info = new FrameworkInfo(null, name, null, roles, null, 60_000L, null);
  }

  FakeFramework withFailoverTimeout(long millis) {
    info =
        new FrameworkInfo(
            info.id(), info.name(), info.user(), info.roles(), info.capabilities(), millis, null);
    return this;
  }

  FakeFramework subscribe() {
    events.clear();
    closedByServer = false;
    client.subscribe(
        info,
        suppressedRoles,
        new NdjsonStream.Listener<>() {
          @Override
          public void event(SchedulerEvent event) {
            events.add(event);
          }

          @Override
          public void closed(Optional<Throwable> cause) {
            closedByServer = true;
          }
        });
    await(SchedulerEvent.Subscribed.class, s -> true);
    info = info.withId(client.frameworkId());
    return this;
  }

  FrameworkId id() {
    return client.frameworkId();
  }

  <T extends SchedulerEvent> T await(Class<T> type, Predicate<T> match) {
    return Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> find(type, match), Optional::isPresent)
        .orElseThrow();
  }

  <T extends SchedulerEvent> Optional<T> find(Class<T> type, Predicate<T> match) {
    return events.stream().filter(type::isInstance).map(type::cast).filter(match).findFirst();
  }

  <T extends SchedulerEvent> List<T> all(Class<T> type) {
    List<T> out = new ArrayList<>();
    events.stream().filter(type::isInstance).map(type::cast).forEach(out::add);
    return out;
  }

  /** Waits for an offer on the agent with {@code hostname} and removes nothing. */
  Offer awaitOffer(String hostname) {
    return await(
            SchedulerEvent.Offers.class,
            o -> o.offers().stream().anyMatch(x -> x.hostname().equals(hostname)))
        .offers()
        .stream()
        .filter(x -> x.hostname().equals(hostname))
        .findFirst()
        .orElseThrow();
  }

  TaskStatus awaitUpdate(TaskId task, TaskState state) {
    return await(
            SchedulerEvent.Update.class,
            u -> u.status().taskId().equals(task) && u.status().state() == state)
        .status();
  }

  void acknowledge(TaskStatus status) {
    client.acknowledge(status.agentId(), status.taskId(), status.uuid());
  }

  @Override
  public void close() {
    client.close();
  }
}
