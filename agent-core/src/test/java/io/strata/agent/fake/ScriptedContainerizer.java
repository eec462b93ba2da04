package io.strata.agent.fake;

import io.strata.agent.containerizer.ContainerCheckpoint;
import io.strata.agent.containerizer.ContainerId;
import io.strata.agent.containerizer.Containerizer;
import io.strata.agent.containerizer.ExecResult;
import io.strata.agent.containerizer.LaunchResult;
import io.strata.agent.containerizer.LaunchSpec;
import io.strata.agent.containerizer.Recovered;
import io.strata.agent.containerizer.ResourceUsage;
import io.strata.agent.containerizer.Termination;
import io.strata.agent.containerizer.UnknownContainerException;
import io.strata.api.CommandInfo;
import io.strata.api.Reason;
import io.strata.api.TaskInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A containerizer whose containers are scripted by the test, for agent-core's protocol tests (the
 * real ones are tested in agent-linux and agent-windows). Its {@link Host} plays the machine: it
 * outlives containerizer instances, so a "restarted agent" finds its containers again. A task whose
 * shell command is {@code unlaunchable} fails to launch; {@code healthy} / {@code unhealthy} decide
 * what exec answers.
 */
public final class ScriptedContainerizer implements Containerizer {

  /** The machine: containers and how they end. */
  public static final class Host {
    final Map<ContainerId, LaunchSpec> running = new ConcurrentHashMap<>();
    final Map<ContainerId, Termination> ended = new ConcurrentHashMap<>();
    final List<LaunchSpec> launches = new ArrayList<>();
    volatile boolean healthy = true;

    /** Ends a container by itself, whether or not a containerizer watches it. */
    public void end(ContainerId id, Termination t) {
      if (running.remove(id) != null) {
        ended.put(id, t);
        listeners.getOrDefault(id, new CompletableFuture<>()).complete(t);
      }
    }

    final Map<ContainerId, CompletableFuture<Termination>> listeners = new ConcurrentHashMap<>();

    public synchronized List<LaunchSpec> launches() {
      return List.copyOf(launches);
    }

    public Set<ContainerId> running() {
      return Set.copyOf(running.keySet());
    }

    public void healthy(boolean value) {
      healthy = value;
    }
  }

  private final Host host;
  private final Map<ContainerId, CompletableFuture<Termination>> mine = new ConcurrentHashMap<>();
  private volatile boolean closed;

  public ScriptedContainerizer(Host host) {
    this.host = host;
  }

  @Override
  public String name() {
    return "scripted";
  }

  @Override
  public Set<String> capabilities() {
    return Set.of("scripted");
  }

  @Override
  public boolean handles(TaskInfo task) {
    return task.container() == null;
  }

  @Override
  public LaunchResult launch(LaunchSpec spec) {
    if (mine.containsKey(spec.containerId())) {
      throw new IllegalStateException("already launched");
    }
    CommandInfo c = spec.task().command();
    if (c.isShell() && c.shell().equals("unlaunchable")) {
      return new LaunchResult.Failed(Reason.LAUNCH_FAILED, "scripted launch failure");
    }
    synchronized (host) {
      host.launches.add(spec);
    }
    host.running.put(spec.containerId(), spec);
    mine.put(spec.containerId(), attach(spec.containerId()));
    return new LaunchResult.Launched(
        new ContainerCheckpoint(
            spec.containerId(), name(), 1, 1, spec.containerId().value(), Map.of()));
  }

  /** This instance's view of a container: it hears nothing once closed (a dead agent). */
  private CompletableFuture<Termination> attach(ContainerId id) {
    CompletableFuture<Termination> mineOnly = new CompletableFuture<>();
    host.listeners
        .computeIfAbsent(id, k -> new CompletableFuture<>())
        .thenAccept(
            t -> {
              if (!closed) {
                mineOnly.complete(t);
              }
            });
    return mineOnly;
  }

  private CompletableFuture<Termination> future(ContainerId id) {
    CompletableFuture<Termination> f = mine.get(id);
    if (f == null) {
      throw new UnknownContainerException(id);
    }
    return f;
  }

  @Override
  public CompletableFuture<Termination> wait(ContainerId id) {
    return future(id);
  }

  @Override
  public void kill(ContainerId id, Duration gracePeriod) {
    future(id);
    host.end(id, Termination.killed(143, "killed by SIGTERM"));
  }

  @Override
  public Optional<ResourceUsage> usage(ContainerId id) {
    return future(id).isDone()
        ? Optional.empty()
        : Optional.of(new ResourceUsage(Instant.EPOCH, 1, 1, null, null, null, null, null, 1L));
  }

  @Override
  public ExecResult exec(ContainerId id, CommandInfo command, Duration timeout) {
    future(id);
    return host.healthy ? new ExecResult(0, false, "ok") : new ExecResult(1, false, "sick");
  }

  @Override
  public List<Recovered> recover(List<ContainerCheckpoint> checkpoints) {
    List<Recovered> out = new ArrayList<>();
    for (ContainerCheckpoint cp : checkpoints) {
      ContainerId id = cp.containerId();
      mine.put(id, attach(id));
      Termination t = host.ended.get(id);
      if (t != null) {
        mine.get(id).complete(t);
        out.add(new Recovered.Ended(id, t));
      } else if (host.running.containsKey(id)) {
        out.add(new Recovered.Running(id));
      } else {
        mine.get(id).complete(Termination.lost("vanished"));
        out.add(new Recovered.Ended(id, Termination.lost("vanished")));
      }
    }
    return out;
  }

  @Override
  public void close() {
    closed = true;
  }
}
