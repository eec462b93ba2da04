package io.strata.agent.tasks;

import io.strata.agent.containerizer.ContainerCheckpoint;
import io.strata.agent.containerizer.ContainerId;
import io.strata.agent.containerizer.Containerizer;
import io.strata.agent.containerizer.ContainerizerException;
import io.strata.agent.containerizer.LaunchResult;
import io.strata.agent.containerizer.LaunchSpec;
import io.strata.agent.containerizer.Recovered;
import io.strata.agent.containerizer.Termination;
import io.strata.agent.core.Admission;
import io.strata.agent.core.TaskOutcome;
import io.strata.agent.health.HealthChecker;
import io.strata.agent.status.StatusOutbox;
import io.strata.api.AgentId;
import io.strata.api.FrameworkId;
import io.strata.api.Reason;
import io.strata.api.Resources;
import io.strata.api.TaskId;
import io.strata.api.TaskState;
import io.strata.api.TaskStatus;
import io.strata.api.agent.AgentMessage;
import io.strata.api.agent.ReportedTask;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The tasks of this agent and their lives: admit, checkpoint, launch, watch, health-check, kill,
 * report, recover after a restart, forget once the allocator has the terminal update. Blocking work
 * (launch, kill) runs on virtual threads; each state change is checkpointed before it is reported.
 */
public final class Tasks {
  private static final System.Logger LOG = System.getLogger(Tasks.class.getName());
  private static final int STDERR_TAIL_BYTES = 400;

  /** What the agent is, as far as its tasks are concerned. */
  public record Settings(
      String host, String defaultUser, List<String> allowedUsers, Supplier<Resources> total) {}

  private record Key(FrameworkId frameworkId, TaskId taskId) {}

  private final Settings settings;
  private final TaskStore store;
  private final StatusOutbox outbox;
  private final Sandboxes sandboxes;
  private final List<Containerizer> containerizers;
  private final HealthChecker health;
  private final Clock clock;
  private final Supplier<Optional<AgentId>> agentId;
  private final Map<Key, TaskRun> runs = new ConcurrentHashMap<>();

  /**
   * Launches run on platform threads (kept a minute when idle): a containerizer may need its OS
   * thread to stay put through a launch (Linux moves the launching thread into the task's cgroups
   * for the instant of the spawn).
   */
  private final java.util.concurrent.ExecutorService launchers =
      new java.util.concurrent.ThreadPoolExecutor(
          0,
          64,
          60,
          java.util.concurrent.TimeUnit.SECONDS,
          new java.util.concurrent.SynchronousQueue<>(),
          Thread.ofPlatform().daemon().name("strata-launch-", 0).factory(),
          new java.util.concurrent.ThreadPoolExecutor.CallerRunsPolicy());

  public Tasks(
      Settings settings,
      TaskStore store,
      StatusOutbox outbox,
      Sandboxes sandboxes,
      List<Containerizer> containerizers,
      HealthChecker health,
      Clock clock,
      Supplier<Optional<AgentId>> agentId) {
    this.settings = settings;
    this.store = store;
    this.outbox = outbox;
    this.sandboxes = sandboxes;
    this.containerizers = List.copyOf(containerizers);
    this.health = health;
    this.clock = clock;
    this.agentId = agentId;
  }

  // ---- launching ------------------------------------------------------------------------------

  public void run(AgentMessage.RunTask message) {
    var task = message.task();
    Key key = new Key(message.frameworkId(), task.taskId());
    TaskRun run;
    synchronized (runs) {
      if (runs.containsKey(key)) {
        LOG.log(
            System.Logger.Level.INFO,
            "task " + task.taskId() + " is already here; ignoring the repeated RunTask");
        return;
      }
      String frameworkUser = message.framework() == null ? null : message.framework().user();
      Admission.Verdict verdict =
          Admission.decide(
              task,
              frameworkUser,
              settings.total().get(),
              inUse(),
              settings.defaultUser(),
              settings.allowedUsers());
      Optional<Containerizer> containerizer =
          containerizers.stream().filter(c -> c.handles(task)).findFirst();
      if (verdict instanceof Admission.Refuse refuse) {
        report(
            message.frameworkId(),
            task.taskId(),
            TaskState.FAILED,
            refuse.reason(),
            refuse.message(),
            null,
            null);
        return;
      }
      if (containerizer.isEmpty()) {
        report(
            message.frameworkId(),
            task.taskId(),
            TaskState.FAILED,
            Reason.INVALID_TASK,
            task.container() != null
                ? "task.container: this agent does not run containers (Docker is off or unreachable)"
                : "task.command: no containerizer on this agent runs native commands",
            null,
            null);
        return;
      }
      ContainerId id = ContainerId.forTask(task.taskId(), UUID.randomUUID());
      TaskCheckpoint record =
          new TaskCheckpoint(
              message.frameworkId(),
              task,
              id,
              containerizer.get().name(),
              ((Admission.Admit) verdict).user(),
              sandboxes.root().resolve(id.value()).toString(),
              TaskState.STARTING,
              null,
              clock.instant());
      run = new TaskRun(record, containerizer.get());
      runs.put(key, run);
    }
    try {
      // Not fsync'd: on the launch's critical path, and a machine crash before RUNNING loses
      // nothing acknowledged (see TaskStore.saveQuickly). The RUNNING record is fsync'd.
      store.saveQuickly(run.record());
    } catch (IOException e) {
      runs.remove(key);
      report(
          message.frameworkId(),
          task.taskId(),
          TaskState.FAILED,
          Reason.AGENT_ERROR,
          "cannot checkpoint the task: " + e.getMessage(),
          null,
          null);
      return;
    }
    launchers.execute(() -> launch(run));
  }

  private Resources inUse() {
    Resources sum = Resources.EMPTY;
    for (TaskRun r : runs.values()) {
      if (!r.isTerminal()) {
        sum = sum.plus(r.record().task().resources());
      }
    }
    return sum;
  }

  private void launch(TaskRun run) {
    TaskCheckpoint rec = run.record();
    // Checked right before the launch: a task whose port another process took since the agent
    // offered it could not bind it; it fails at once with the reason, not through health checks.
    OptionalInt held = HostPorts.firstHeld(rec.task().resources().ports());
    if (held.isPresent()) {
      end(
          run,
          TaskState.FAILED,
          Reason.LAUNCH_FAILED,
          HostPorts.heldMessage(held.getAsInt()),
          null);
      return;
    }
    LaunchResult result;
    try {
      Path sandbox = sandboxes.create(rec.containerId(), rec.frameworkId(), rec.taskId());
      LaunchSpec spec =
          new LaunchSpec(
              rec.containerId(),
              rec.frameworkId(),
              rec.task(),
              rec.user(),
              sandbox,
              Sandboxes.stdout(sandbox),
              Sandboxes.stderr(sandbox),
              TaskEnvironment.of(
                  rec.task(), rec.frameworkId(), rec.containerId(), sandbox, settings.host()));
      result = run.containerizer.launch(spec);
    } catch (IOException | ContainerizerException | IllegalStateException e) {
      LOG.log(System.Logger.Level.ERROR, "launching " + rec.taskId() + " failed", e);
      end(
          run,
          TaskState.FAILED,
          Reason.AGENT_ERROR,
          "the agent could not launch the task: " + e.getMessage(),
          null);
      return;
    }
    switch (result) {
      case LaunchResult.Failed f -> end(run, TaskState.FAILED, f.reason(), f.message(), null);
      case LaunchResult.Launched l -> running(run, l.checkpoint(), false);
    }
  }

  /** The task runs (launched, or re-attached after a restart): checkpoint, report, watch it. */
  private void running(TaskRun run, ContainerCheckpoint checkpoint, boolean recovered) {
    TaskCheckpoint rec = run.record().withCheckpoint(checkpoint).withState(TaskState.RUNNING);
    String actual = checkpoint.details().get("user");
    if (actual != null && !actual.isBlank()) {
      // Who it really runs as (Linux: the app's own uid rather than the default user).
      rec = rec.withUser(actual);
    }
    run.update(rec);
    try {
      store.save(rec);
    } catch (IOException e) {
      LOG.log(System.Logger.Level.ERROR, "cannot checkpoint running task " + rec.taskId(), e);
    }
    report(
        run,
        TaskState.RUNNING,
        null,
        recovered ? "re-attached after an agent restart" : null,
        null);
    if (run.killReason() != null) {
      Thread.ofVirtual().start(() -> killNow(run));
    } else if (rec.task().healthCheck() != null) {
      run.health(health.watch(rec.containerId(), rec.task(), run.containerizer, verdicts(run)));
    }
    run.containerizer
        .wait(rec.containerId())
        .whenComplete(
            (termination, failure) -> {
              if (failure != null) {
                end(
                    run,
                    TaskState.FAILED,
                    Reason.AGENT_ERROR,
                    "lost track of the task: " + failure.getMessage(),
                    null);
              } else {
                ended(run, termination);
              }
            });
  }

  private HealthChecker.Verdicts verdicts(TaskRun run) {
    return new HealthChecker.Verdicts() {
      @Override
      public void changed(boolean healthy) {
        run.healthy(healthy);
        if (!run.isTerminal()) {
          report(
              run, TaskState.RUNNING, null, healthy ? "healthy" : "failing its health check", null);
        }
      }

      @Override
      public void failed(String lastFailure) {
        kill(run, Reason.HEALTH_CHECK_FAILED, null);
      }
    };
  }

  private void ended(TaskRun run, Termination t) {
    run.stopHealth();
    TaskCheckpoint rec = run.record();
    String tail =
        t.succeeded() || t.cause() == Termination.Cause.KILLED
            ? ""
            : Sandboxes.tail(Sandboxes.stderr(Path.of(rec.sandbox())), STDERR_TAIL_BYTES);
    TaskOutcome outcome = TaskOutcome.of(t, run.killReason(), tail);
    end(run, outcome.state(), outcome.reason(), outcome.message(), outcome.exitCode());
  }

  /** Checkpoints the terminal state, then reports it. */
  private void end(TaskRun run, TaskState state, Reason reason, String message, Integer exitCode) {
    run.stopHealth();
    TaskCheckpoint rec = run.record().withState(state);
    run.update(rec);
    try {
      store.save(rec);
    } catch (IOException e) {
      LOG.log(System.Logger.Level.ERROR, "cannot checkpoint the end of task " + rec.taskId(), e);
    }
    report(run, state, reason, message, exitCode);
  }

  // ---- killing --------------------------------------------------------------------------------

  public void kill(AgentMessage.KillTask message) {
    TaskRun run = runs.get(new Key(message.frameworkId(), message.taskId()));
    if (run == null) {
      report(
          message.frameworkId(),
          message.taskId(),
          TaskState.LOST,
          Reason.TASK_UNKNOWN,
          "this agent has no such task",
          null,
          null);
      return;
    }
    kill(
        run,
        message.reason() == null ? Reason.KILLED_BY_FRAMEWORK : message.reason(),
        message.gracePeriodMillis() == null
            ? null
            : Duration.ofMillis(message.gracePeriodMillis()));
  }

  private void kill(TaskRun run, Reason reason, Duration grace) {
    Duration g =
        grace != null ? grace : Duration.ofMillis(run.record().task().killGracePeriodMillis());
    if (!run.requestKill(reason, g)) {
      return;
    }
    if (run.record().checkpoint() != null) {
      Thread.ofVirtual().name("kill " + run.record().taskId()).start(() -> killNow(run));
    }
    // Still launching: running() sees the request and kills at once.
  }

  private void killNow(TaskRun run) {
    TaskCheckpoint rec = run.record();
    try {
      run.containerizer.kill(rec.containerId(), run.killGrace());
    } catch (ContainerizerException e) {
      LOG.log(System.Logger.Level.ERROR, "killing task " + rec.taskId() + " failed", e);
    }
  }

  /**
   * Kills every task (shutdown, or the allocator removed this agent); waits at most {@code grace}+.
   */
  public void killAll(Reason reason, Duration grace) {
    List<Thread> killers = new ArrayList<>();
    for (TaskRun run : runs.values()) {
      if (!run.isTerminal()
          && run.requestKill(reason, grace)
          && run.record().checkpoint() != null) {
        killers.add(Thread.ofVirtual().start(() -> killNow(run)));
      }
    }
    for (Thread t : killers) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  // ---- reporting ------------------------------------------------------------------------------

  private void report(
      TaskRun run, TaskState state, Reason reason, String message, Integer exitCode) {
    TaskCheckpoint rec = run.record();
    report(rec.frameworkId(), rec.taskId(), state, reason, message, exitCode, run.healthy());
  }

  private void report(
      FrameworkId framework,
      TaskId task,
      TaskState state,
      Reason reason,
      String message,
      Integer exitCode,
      Boolean healthy) {
    TaskStatus status =
        new TaskStatus(
            task,
            framework,
            agentId.get().orElse(null),
            state,
            reason,
            message == null ? null : message.length() > 4096 ? message.substring(0, 4096) : message,
            TaskStatus.Source.AGENT,
            UUID.randomUUID(),
            clock.instant(),
            healthy,
            exitCode);
    try {
      outbox.enqueue(status);
    } catch (IOException e) {
      LOG.log(
          System.Logger.Level.ERROR,
          "cannot persist the status update of " + task + "; it is lost",
          e);
    }
  }

  /** The allocator has this update: a task whose terminal update it is can be forgotten. */
  public void acknowledged(TaskStatus status) {
    if (!status.state().isTerminal()) {
      return;
    }
    Key key = new Key(status.frameworkId(), status.taskId());
    TaskRun run = runs.get(key);
    if (run != null && run.isTerminal()) {
      try {
        store.delete(run.record().containerId());
        runs.remove(key, run);
      } catch (IOException e) {
        LOG.log(System.Logger.Level.ERROR, "cannot delete the checkpoint of " + status.taskId(), e);
      }
    }
  }

  /** Every task the agent holds, as it reports them when (re-)registering. */
  public List<ReportedTask> reported() {
    return runs.values().stream()
        .map(TaskRun::record)
        .map(r -> new ReportedTask(r.frameworkId(), r.taskId(), r.state()))
        .toList();
  }

  /** The records of all tasks held, for the agent's HTTP endpoint. */
  public List<TaskCheckpoint> records() {
    return runs.values().stream().map(TaskRun::record).toList();
  }

  /** The owners of the sandboxes on disk, held tasks' and ended ones', newest first. */
  public List<Sandboxes.Owner> sandboxOwners() throws IOException {
    return sandboxes.owners();
  }

  /** The containerizer running a container, if the agent holds it. */
  public Optional<Containerizer> containerizerOf(ContainerId id) {
    return runs.values().stream()
        .filter(r -> r.record().containerId().equals(id))
        .map(r -> r.containerizer)
        .findFirst();
  }

  /** Deletes sandboxes of tasks no longer held, once older than {@code retention}. */
  public void collectSandboxes(Duration retention) {
    java.util.Set<ContainerId> held = new java.util.HashSet<>();
    runs.values().forEach(r -> held.add(r.record().containerId()));
    try {
      int n = sandboxes.collect(held, clock.instant().minus(retention));
      if (n > 0) {
        LOG.log(System.Logger.Level.INFO, "removed " + n + " old sandboxes");
      }
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "cannot collect old sandboxes: " + e.getMessage());
    }
  }

  /** Rotates the logs of tasks that run. */
  public void rotateLogs() {
    for (TaskRun run : runs.values()) {
      if (!run.isTerminal()) {
        try {
          sandboxes.rotate(Path.of(run.record().sandbox()));
        } catch (IOException e) {
          LOG.log(
              System.Logger.Level.WARNING,
              "cannot rotate the logs of " + run.record().taskId() + ": " + e.getMessage());
        }
      }
    }
  }

  // ---- recovery -------------------------------------------------------------------------------

  /**
   * Re-attaches to the tasks of a previous run: running ones are reported RUNNING again; those that
   * ended meanwhile with their real termination; those caught mid-launch as failed. Call once, at
   * start, before any RunTask.
   */
  public void recover() throws IOException {
    List<TaskCheckpoint> records = store.loadAll();
    Map<String, List<ContainerCheckpoint>> byContainerizer = new HashMap<>();
    containerizers.forEach(c -> byContainerizer.put(c.name(), new ArrayList<>()));
    List<TaskRun> toRecover = new ArrayList<>();
    for (TaskCheckpoint rec : records) {
      Optional<Containerizer> c =
          containerizers.stream().filter(x -> x.name().equals(rec.containerizer())).findFirst();
      TaskRun run = new TaskRun(rec, c.orElse(null));
      runs.put(new Key(rec.frameworkId(), rec.taskId()), run);
      if (rec.state().isTerminal()) {
        boolean pending =
            outbox.pending().stream()
                .anyMatch(
                    s ->
                        s.taskId().equals(rec.taskId())
                            && s.frameworkId().equals(rec.frameworkId())
                            && s.state().isTerminal());
        if (!pending) {
          acknowledged(terminalOf(rec));
        }
      } else if (rec.checkpoint() == null) {
        end(
            run,
            TaskState.FAILED,
            Reason.AGENT_RESTARTED,
            "the agent restarted while launching the task",
            null);
      } else if (c.isEmpty()) {
        end(
            run,
            TaskState.FAILED,
            Reason.AGENT_RESTARTED,
            "the agent restarted without its " + rec.containerizer() + " containerizer",
            null);
      } else {
        byContainerizer.get(rec.containerizer()).add(rec.checkpoint());
        toRecover.add(run);
      }
    }
    for (Containerizer c : containerizers) {
      for (Recovered r : c.recover(byContainerizer.get(c.name()))) {
        TaskRun run =
            toRecover.stream()
                .filter(x -> x.record().containerId().equals(r.containerId()))
                .findFirst()
                .orElseThrow();
        switch (r) {
          case Recovered.Running running -> running(run, run.record().checkpoint(), true);
          case Recovered.Ended ended -> ended(run, ended.termination());
        }
      }
    }
  }

  private TaskStatus terminalOf(TaskCheckpoint rec) {
    return new TaskStatus(
        rec.taskId(),
        rec.frameworkId(),
        null,
        rec.state(),
        null,
        null,
        TaskStatus.Source.AGENT,
        null,
        clock.instant(),
        null,
        null);
  }
}
