package io.strata.fakes.agents;

import io.strata.api.AgentId;
import io.strata.api.AgentInfo;
import io.strata.api.FrameworkId;
import io.strata.api.Reason;
import io.strata.api.TaskId;
import io.strata.api.TaskInfo;
import io.strata.api.TaskState;
import io.strata.api.TaskStatus;
import io.strata.api.agent.AgentMessage;
import io.strata.api.agent.AgentRegistered;
import io.strata.api.agent.RegisterAgent;
import io.strata.api.agent.StatusAcks;
import io.strata.api.agent.StatusUpdates;
import io.strata.api.client.ApiException;
import io.strata.api.client.HttpTransport;
import io.strata.api.client.NdjsonStream;
import io.strata.api.client.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An agent that speaks the real agent protocol and runs no process: it registers, heartbeats,
 * follows its stream, and answers every RunTask with RUNNING (healthy, if the task has a health
 * check) and every KillTask with KILLED. Like the real agent's outbox, it sends its updates in
 * batches ({@code POST /v1/agents/{id}/statuses}): one request in flight per agent, carrying
 * everything produced meanwhile. Many share one {@link HttpTransport} and two executors, so a
 * thousand fit in one test or benchmark JVM.
 */
public final class ProtocolAgent implements AutoCloseable {
  /** With the join token until registered, then with the agent's own credential. */
  private volatile HttpTransport http;

  private final AgentInfo info;
  private final ScheduledExecutorService timers;
  private final ExecutorService senders;
  private final java.util.concurrent.Semaphore permits;
  private final Map<TaskId, TaskInfo> running = new ConcurrentHashMap<>();
  private final Map<TaskId, TaskInfo> launched = new ConcurrentHashMap<>();
  private final Map<TaskId, FrameworkId> owners = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<TaskStatus> outbox = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean sending = new AtomicBoolean();
  private volatile AgentId id;
  private volatile NdjsonStream<AgentMessage> stream;
  private volatile ScheduledFuture<?> heartbeat;

  /**
   * @param permits bounds the status requests in flight across the agents sharing it (each is an
   *     HTTP request, on its own connection while others are in flight)
   */
  public ProtocolAgent(
      HttpTransport http,
      AgentInfo info,
      ScheduledExecutorService timers,
      ExecutorService senders,
      java.util.concurrent.Semaphore permits) {
    this.http = http;
    this.info = info;
    this.timers = timers;
    this.senders = senders;
    this.permits = permits;
  }

  /** Registers, opens the stream and starts heartbeating. */
  public ProtocolAgent start() {
    AgentRegistered r =
        http.send(
            "POST",
            Paths.AGENT_REGISTER,
            new RegisterAgent(null, info, List.of()),
            AgentRegistered.class);
    id = r.agentId();
    // Every call of this agent takes its own credential: the join token only admits new agents.
    http = http.withToken(r.agentToken());
    stream =
        http.stream(
            "GET",
            Paths.agentStream(id.value()),
            null,
            AgentMessage.class,
            Map.of(),
            this::onMessage);
    long every = Math.max(100, r.heartbeatIntervalMillis());
    heartbeat =
        timers.scheduleWithFixedDelay(
            () -> {
              try {
                http.send("POST", Paths.agentHeartbeat(id.value()), null, Void.class);
              } catch (ApiException e) {
                // The allocator went away or restarts; the next beat tries again.
              }
            },
            every,
            every,
            TimeUnit.MILLISECONDS);
    return this;
  }

  private void onMessage(AgentMessage m) {
    switch (m) {
      case AgentMessage.RunTask run -> {
        TaskInfo t = run.task();
        if (launched.putIfAbsent(t.taskId(), t) == null) {
          owners.put(t.taskId(), run.frameworkId());
          running.put(t.taskId(), t);
          queue(
              status(
                  run.frameworkId(),
                  t.taskId(),
                  TaskState.RUNNING,
                  null,
                  t.healthCheck() != null ? true : null));
        }
      }
      case AgentMessage.KillTask kill -> kill(kill);
      case AgentMessage.KillTasks kills -> kills.each().forEach(this::kill);
      default -> {}
    }
  }

  private void kill(AgentMessage.KillTask kill) {
    if (running.remove(kill.taskId()) != null) {
      queue(
          status(
              kill.frameworkId(),
              kill.taskId(),
              TaskState.KILLED,
              Reason.KILLED_BY_FRAMEWORK,
              null));
    }
  }

  /** Ends a running task as if its process exited or crashed (a test's "kill -9"). */
  public void fail(TaskId task) {
    end(task, TaskState.FAILED);
  }

  /** Ends a running task as failed for {@code reason}, as the agent would report it. */
  public void fail(TaskId task, Reason reason, String message) {
    if (running.remove(task) != null) {
      TaskStatus s = status(owners.get(task), task, TaskState.FAILED, reason, null);
      send(
          List.of(
              new TaskStatus(
                  s.taskId(),
                  s.frameworkId(),
                  s.agentId(),
                  s.state(),
                  s.reason(),
                  message,
                  s.source(),
                  s.uuid(),
                  s.timestamp(),
                  s.healthy(),
                  s.exitCode())));
    }
  }

  /** Ends a running task as if its process exited 0. */
  public void finish(TaskId task) {
    end(task, TaskState.FINISHED);
  }

  private void end(TaskId task, TaskState state) {
    if (running.remove(task) != null) {
      send(List.of(status(owners.get(task), task, state, Reason.COMMAND_EXITED, null)));
    }
  }

  /** Queues an update; a sender is started unless one is already busy for this agent. */
  private void queue(TaskStatus status) {
    outbox.add(status);
    if (sending.compareAndSet(false, true)) {
      senders.execute(this::flush);
    }
  }

  /** Sends what is queued, batch after batch, until nothing is left. */
  private void flush() {
    while (true) {
      List<TaskStatus> batch = new ArrayList<>();
      for (TaskStatus s;
          batch.size() < StatusUpdates.MAX_UPDATES && (s = outbox.poll()) != null; ) {
        batch.add(s);
      }
      if (!batch.isEmpty()) {
        send(batch);
        continue;
      }
      sending.set(false);
      // An update queued after the poll above and before the flag was cleared is ours to send.
      if (outbox.isEmpty() || !sending.compareAndSet(false, true)) {
        return;
      }
    }
  }

  private void send(List<TaskStatus> batch) {
    try {
      permits.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    try {
      post(batch);
    } finally {
      permits.release();
    }
  }

  private TaskStatus status(
      FrameworkId fw, TaskId task, TaskState state, Reason reason, Boolean healthy) {
    return new TaskStatus(
        task,
        fw,
        id,
        state,
        reason,
        null,
        TaskStatus.Source.AGENT,
        UUID.randomUUID(),
        Instant.now(),
        healthy,
        state == TaskState.FAILED ? 1 : null);
  }

  private void post(List<TaskStatus> batch) {
    for (int attempt = 0; attempt < 5; attempt++) {
      try {
        http.send(
            "POST", Paths.agentStatuses(id.value()), new StatusUpdates(batch), StatusAcks.class);
        return;
      } catch (ApiException e) {
        if (!e.retryable()) {
          return;
        }
      }
    }
  }

  public AgentId id() {
    return id;
  }

  public AgentInfo info() {
    return info;
  }

  /** Tasks launched here and not killed or failed. */
  public Map<TaskId, TaskInfo> running() {
    return running;
  }

  /** Every task ever launched here. */
  public Map<TaskId, TaskInfo> launched() {
    return launched;
  }

  @Override
  public void close() {
    ScheduledFuture<?> h = heartbeat;
    if (h != null) {
      h.cancel(false);
    }
    NdjsonStream<AgentMessage> s = stream;
    if (s != null) {
      s.close();
    }
  }
}
