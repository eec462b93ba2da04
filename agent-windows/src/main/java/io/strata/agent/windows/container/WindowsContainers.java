package io.strata.agent.windows.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Info;
import com.github.dockerjava.api.model.Statistics;
import io.strata.agent.containerizer.ContainerCheckpoint;
import io.strata.agent.containerizer.ContainerId;
import io.strata.agent.containerizer.ContainerTable;
import io.strata.agent.containerizer.Containerizer;
import io.strata.agent.containerizer.ContainerizerException;
import io.strata.agent.containerizer.ExecResult;
import io.strata.agent.containerizer.LaunchResult;
import io.strata.agent.containerizer.LaunchSpec;
import io.strata.agent.containerizer.Recovered;
import io.strata.agent.containerizer.ResourceUsage;
import io.strata.agent.containerizer.Termination;
import io.strata.agent.docker.ContainerRequest;
import io.strata.agent.docker.DockerEngine;
import io.strata.agent.docker.LogPump;
import io.strata.agent.windows.plan.ContainerPlan;
import io.strata.api.Capabilities;
import io.strata.api.CommandInfo;
import io.strata.api.Quantities;
import io.strata.api.Reason;
import io.strata.api.TaskInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Containerizer} for tasks with a container image on Windows: Windows containers through
 * docker-java, talking to the engine over its named pipe ({@value #DEFAULT_HOST}). The policy is
 * {@link ContainerPlan}; this class only performs it. Containers carry labels naming their
 * container id, so a restarted agent finds them again and removes those no checkpoint names.
 *
 * <p>The engine must already have the image (it is not pulled). Containers run as the image's user.
 */
public final class WindowsContainers implements Containerizer {
  private static final Logger LOG = LoggerFactory.getLogger(WindowsContainers.class);
  public static final String NAME = "windows-containers";
  public static final String DEFAULT_HOST = "npipe:////./pipe/docker_engine";

  private final DockerEngine engine;
  private final DockerClient docker;
  private final Clock clock;
  private final Set<ContainerId> used = ConcurrentHashMap.newKeySet();
  private final ContainerTable<Entry> entries = new ContainerTable<>();
  private volatile Info info;

  private static final class Entry {
    final String dockerId;
    final long memoryLimit;
    final CompletableFuture<Termination> termination = new CompletableFuture<>();
    final List<AutoCloseable> streams = new ArrayList<>();
    volatile LogPump logs;
    volatile boolean killed;

    Entry(String dockerId, long memoryLimit) {
      this.dockerId = dockerId;
      this.memoryLimit = memoryLimit;
    }
  }

  public WindowsContainers(DockerClient docker, Clock clock) {
    this.engine = new DockerEngine(docker);
    this.docker = docker;
    this.clock = clock;
  }

  /** A docker-java client for {@code host}: {@value #DEFAULT_HOST} on Windows. */
  public static DockerClient client(String host) {
    return DockerEngine.client(host, 0, Duration.ofMinutes(5));
  }

  /** Whether an engine answers on {@code host}; the agent then reports windows-containers. */
  public static boolean engineAnswers(String host) {
    try (DockerClient client = client(host)) {
      client.pingCmd().exec();
      return true;
    } catch (IOException | RuntimeException | LinkageError e) {
      LOG.info("no container engine at {}: {}", host, e.toString());
      return false;
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<String> capabilities() {
    return Set.of(Capabilities.WINDOWS_CONTAINERS);
  }

  @Override
  public boolean handles(TaskInfo task) {
    return task.container() != null;
  }

  private Info info() {
    Info i = info;
    if (i == null) {
      i = docker.infoCmd().exec();
      info = i;
    }
    return i;
  }

  private boolean windowsEngine() {
    return "windows".equalsIgnoreCase(info().getOsType());
  }

  @Override
  public LaunchResult launch(LaunchSpec spec) {
    ContainerId id = spec.containerId();
    if (!used.add(id)) {
      throw new IllegalStateException("container id " + id + " was already used");
    }
    ContainerPlan.Spec plan;
    try {
      plan =
          ContainerPlan.of(
              spec.task(),
              id.value(),
              spec.environment(),
              spec.sandbox().toAbsolutePath().toString(),
              info().getIsolation(),
              windowsEngine());
    } catch (IllegalArgumentException e) {
      return new LaunchResult.Failed(Reason.LAUNCH_FAILED, e.getMessage());
    }
    try {
      docker.inspectImageCmd(plan.image()).exec();
    } catch (NotFoundException e) {
      return new LaunchResult.Failed(
          Reason.LAUNCH_FAILED,
          "task.container.image: no image '" + plan.image() + "' on this machine");
    }
    String dockerId = null;
    try {
      dockerId = create(plan);
      Entry entry = new Entry(dockerId, plan.memoryBytes());
      entries.put(id, entry);
      docker.startContainerCmd(dockerId).exec();
      follow(entry, spec.stdout(), spec.stderr(), null);
      watch(entry);
      return new LaunchResult.Launched(
          new ContainerCheckpoint(
              id,
              NAME,
              0,
              0,
              dockerId,
              Map.of(
                  "stdout", spec.stdout().toString(),
                  "stderr", spec.stderr().toString(),
                  "memoryLimit", Long.toString(plan.memoryBytes()))));
    } catch (DockerException | IOException e) {
      entries.remove(id);
      if (dockerId != null) {
        remove(dockerId);
      }
      throw new ContainerizerException("launching " + id + " failed: " + e.getMessage(), e);
    }
  }

  private String create(ContainerPlan.Spec plan) {
    List<String> env = new ArrayList<>();
    plan.env().forEach((k, v) -> env.add(k + "=" + v));
    return engine.create(
        new ContainerRequest(
            plan.image(),
            plan.name(),
            env,
            plan.labels(),
            null,
            plan.sandboxTarget(),
            null,
            plan.cmd(),
            new ContainerRequest.Limits(
                false,
                null,
                plan.networkMode(),
                null,
                plan.memoryBytes(),
                null,
                plan.nanoCpus(),
                null,
                plan.isolation(),
                plan.sandboxBind(),
                plan.sandboxTarget())));
  }

  /**
   * Copies the container's output into the sandbox files as it comes: all of it from a launch (the
   * engine keeps what was written before we attached), from {@code sinceEpochSecond} after a
   * recovery.
   */
  private void follow(Entry entry, Path stdout, Path stderr, Integer sinceEpochSecond)
      throws IOException {
    entry.logs = engine.follow(entry.dockerId, stdout, stderr, sinceEpochSecond);
    entry.streams.add(entry.logs);
  }

  /** Completes the entry's termination when the container stops, then removes the container. */
  private void watch(Entry entry) {
    entry.streams.add(
        engine.onExit(
            entry.dockerId,
            failure -> {
              if (failure != null) {
                LOG.warn("lost the wait on container {}; inspecting it", entry.dockerId, failure);
              }
              finish(entry);
            }));
  }

  private synchronized void finish(Entry entry) {
    if (entry.termination.isDone()) {
      return;
    }
    Termination t;
    try {
      t = terminationOf(docker.inspectContainerCmd(entry.dockerId).exec(), entry);
    } catch (NotFoundException e) {
      t = Termination.lost("container " + entry.dockerId + " disappeared");
    }
    LogPump logs = entry.logs;
    if (logs != null) {
      try {
        // The last lines may still be on their way: let them land before the container goes.
        logs.awaitCompletion(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    // The log and wait streams end by themselves with the container; closing the wait stream from
    // inside its own callback would block on itself.
    remove(entry.dockerId);
    entry.termination.complete(t);
  }

  static Termination terminationOf(InspectContainerResponse inspect, boolean killed, long limit) {
    InspectContainerResponse.ContainerState state = inspect.getState();
    Long code = state.getExitCodeLong();
    Integer exit = code == null ? null : code.intValue();
    if (Boolean.TRUE.equals(state.getOOMKilled())) {
      return new Termination(
          Termination.Cause.MEMORY_LIMIT,
          exit,
          null,
          null,
          "killed for exceeding its memory limit of " + Quantities.humanBytes(limit));
    }
    if (killed) {
      return Termination.killed(exit, "stopped by the agent");
    }
    return Termination.exited(exit == null ? -1 : exit);
  }

  private static Termination terminationOf(InspectContainerResponse inspect, Entry entry) {
    return terminationOf(inspect, entry.killed, entry.memoryLimit);
  }

  private void remove(String dockerId) {
    engine.remove(dockerId);
  }

  @Override
  public CompletableFuture<Termination> wait(ContainerId id) {
    return entries.get(id).termination;
  }

  @Override
  public void kill(ContainerId id, Duration gracePeriod) {
    Entry e = entries.get(id);
    if (e.termination.isDone()) {
      return;
    }
    e.killed = true;
    try {
      docker
          .stopContainerCmd(e.dockerId)
          .withTimeout((int) Math.max(0, (gracePeriod.toMillis() + 999) / 1000))
          .exec();
    } catch (NotModifiedException | NotFoundException already) {
      LOG.debug("container {} had already stopped", e.dockerId);
    } catch (DockerException failure) {
      throw new ContainerizerException(
          "stopping " + id + " failed: " + failure.getMessage(), failure);
    }
    finish(e);
  }

  @Override
  public Optional<ResourceUsage> usage(ContainerId id) {
    Entry e = entries.get(id);
    if (e.termination.isDone()) {
      return Optional.empty();
    }
    Statistics stats;
    try {
      stats = engine.statsOnce(e.dockerId);
    } catch (NotFoundException gone) {
      return Optional.empty();
    }
    if (stats == null || stats.getCpuStats() == null || stats.getMemoryStats() == null) {
      return Optional.empty();
    }
    Long total =
        stats.getCpuStats().getCpuUsage() == null
            ? null
            : stats.getCpuStats().getCpuUsage().getTotalUsage();
    // Windows engines count CPU in 100 ns units, Linux ones in ns.
    long cpuNanos = total == null ? 0 : windowsEngine() ? total * 100 : total;
    Long memory = stats.getMemoryStats().getUsage();
    return Optional.of(
        new ResourceUsage(
            clock.instant(),
            cpuNanos,
            memory == null ? 0 : memory,
            stats.getMemoryStats().getMaxUsage(),
            e.memoryLimit > 0 ? e.memoryLimit : null,
            null,
            null,
            null,
            stats.getPidsStats() == null ? null : stats.getPidsStats().getCurrent()));
  }

  @Override
  public ExecResult exec(ContainerId id, CommandInfo command, Duration timeout) {
    Entry e = entries.get(id);
    if (e.termination.isDone()) {
      throw new IllegalStateException("container " + id + " has ended");
    }
    List<String> cmd =
        command.isShell()
            ? (windowsEngine()
                ? List.of("cmd", "/S", "/C", command.shell())
                : List.of("/bin/sh", "-c", command.shell()))
            : command.argv();
    DockerEngine.Exec done = engine.exec(e.dockerId, cmd, null, timeout);
    return new ExecResult(done.exitCode(), done.timedOut(), done.output());
  }

  @Override
  public List<Recovered> recover(List<ContainerCheckpoint> checkpoints) {
    Map<String, Container> ours = new ConcurrentHashMap<>();
    for (Container c :
        docker
            .listContainersCmd()
            .withShowAll(true)
            .withLabelFilter(Map.of(ContainerPlan.LABEL_MANAGED, ContainerPlan.MANAGED_BY))
            .exec()) {
      ours.put(c.getLabels().getOrDefault(ContainerPlan.LABEL_CONTAINER, c.getId()), c);
    }
    List<Recovered> out = new ArrayList<>();
    Set<String> named = new HashSet<>();
    for (ContainerCheckpoint cp : checkpoints) {
      ContainerId id = cp.containerId();
      used.add(id);
      named.add(id.value());
      long limit = Long.parseLong(cp.details().getOrDefault("memoryLimit", "0"));
      Entry entry = new Entry(cp.handle(), limit);
      entries.put(id, entry);
      Container c = ours.get(id.value());
      if (c == null) {
        entry.termination.complete(
            Termination.lost("container " + cp.handle() + " no longer exists"));
        out.add(new Recovered.Ended(id, entry.termination.join()));
        continue;
      }
      InspectContainerResponse inspect = docker.inspectContainerCmd(cp.handle()).exec();
      if (Boolean.TRUE.equals(inspect.getState().getRunning())) {
        try {
          follow(
              entry,
              Path.of(cp.details().get("stdout")),
              Path.of(cp.details().get("stderr")),
              (int) clock.instant().getEpochSecond());
        } catch (IOException e) {
          LOG.warn("cannot follow the output of {} again: {}", id, e.toString());
        }
        watch(entry);
        out.add(new Recovered.Running(id));
      } else {
        finish(entry);
        out.add(new Recovered.Ended(id, entry.termination.join()));
      }
    }
    ours.forEach(
        (containerId, c) -> {
          if (!named.contains(containerId)) {
            LOG.info("removing orphaned container {} ({})", c.getId(), containerId);
            remove(c.getId());
          }
        });
    return out;
  }

  @Override
  public void close() {
    for (Entry e : entries.all()) {
      for (AutoCloseable s : e.streams) {
        try {
          s.close();
        } catch (Exception ex) {
          LOG.debug("closing a stream of {}", e.dockerId, ex);
        }
      }
    }
    try {
      engine.close();
    } catch (IOException e) {
      throw new UncheckedIOException("closing the docker client", e);
    }
  }
}
