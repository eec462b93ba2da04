package io.strata.agent.windows.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Info;
import com.github.dockerjava.api.model.Isolation;
import com.github.dockerjava.api.model.Statistics;
import com.github.dockerjava.api.model.Volume;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import io.strata.agent.containerizer.ContainerCheckpoint;
import io.strata.agent.containerizer.ContainerId;
import io.strata.agent.containerizer.Containerizer;
import io.strata.agent.containerizer.ContainerizerException;
import io.strata.agent.containerizer.ExecResult;
import io.strata.agent.containerizer.LaunchResult;
import io.strata.agent.containerizer.LaunchSpec;
import io.strata.agent.containerizer.Recovered;
import io.strata.agent.containerizer.ResourceUsage;
import io.strata.agent.containerizer.Termination;
import io.strata.agent.containerizer.UnknownContainerException;
import io.strata.agent.windows.plan.ContainerPlan;
import io.strata.agent.windows.plan.Sizes;
import io.strata.api.Capabilities;
import io.strata.api.CommandInfo;
import io.strata.api.Reason;
import io.strata.api.TaskInfo;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
  static final int EXEC_OUTPUT_LIMIT = 4_096;

  private final DockerClient docker;
  private final Clock clock;
  private final Set<ContainerId> used = ConcurrentHashMap.newKeySet();
  private final Map<ContainerId, Entry> entries = new ConcurrentHashMap<>();
  private volatile Info info;

  private static final class Entry {
    final String dockerId;
    final long memoryLimit;
    final CompletableFuture<Termination> termination = new CompletableFuture<>();
    final List<AutoCloseable> streams = new ArrayList<>();
    volatile ResultCallback.Adapter<Frame> logs;
    volatile boolean killed;

    Entry(String dockerId, long memoryLimit) {
      this.dockerId = dockerId;
      this.memoryLimit = memoryLimit;
    }
  }

  public WindowsContainers(DockerClient docker, Clock clock) {
    this.docker = docker;
    this.clock = clock;
  }

  /** A docker-java client for {@code host}: {@value #DEFAULT_HOST} on Windows. */
  public static DockerClient client(String host) {
    DefaultDockerClientConfig config =
        DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(host).build();
    ApacheDockerHttpClient http =
        new ApacheDockerHttpClient.Builder()
            .dockerHost(config.getDockerHost())
            .connectionTimeout(Duration.ofSeconds(10))
            .responseTimeout(Duration.ofMinutes(5))
            .build();
    return DockerClientImpl.getInstance(config, http);
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
    } catch (DockerException e) {
      entries.remove(id);
      if (dockerId != null) {
        remove(dockerId);
      }
      throw new ContainerizerException("launching " + id + " failed: " + e.getMessage(), e);
    }
  }

  private String create(ContainerPlan.Spec plan) {
    HostConfig host =
        HostConfig.newHostConfig()
            .withNetworkMode(plan.networkMode())
            .withBinds(new Bind(plan.sandboxBind(), new Volume(plan.sandboxTarget())));
    if (plan.memoryBytes() > 0) {
      host = host.withMemory(plan.memoryBytes());
    }
    if (plan.nanoCpus() > 0) {
      host = host.withNanoCPUs(plan.nanoCpus());
    }
    if (plan.isolation() != null) {
      host = host.withIsolation(Isolation.fromValue(plan.isolation()));
    }
    List<String> env = new ArrayList<>();
    plan.env().forEach((k, v) -> env.add(k + "=" + v));
    CreateContainerCmd create =
        docker
            .createContainerCmd(plan.image())
            .withName(plan.name())
            .withEnv(env)
            .withLabels(plan.labels())
            .withWorkingDir(plan.sandboxTarget())
            .withHostConfig(host);
    if (plan.cmd() != null) {
      create = create.withCmd(plan.cmd());
    }
    return create.exec().getId();
  }

  /**
   * Copies the container's output into the sandbox files as it comes: all of it from a launch (the
   * engine keeps what was written before we attached), from {@code sinceEpochSecond} after a
   * recovery.
   */
  private void follow(Entry entry, Path stdout, Path stderr, Integer sinceEpochSecond) {
    ResultCallback.Adapter<Frame> copier =
        new ResultCallback.Adapter<>() {
          @Override
          public void onNext(Frame frame) {
            Path target =
                switch (frame.getStreamType()) {
                  case STDERR -> stderr;
                  default -> stdout;
                };
            try (OutputStream out =
                Files.newOutputStream(
                    target, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
              out.write(frame.getPayload());
            } catch (IOException e) {
              throw new UncheckedIOException("cannot write container output to " + target, e);
            }
          }
        };
    var logs =
        docker
            .logContainerCmd(entry.dockerId)
            .withFollowStream(true)
            .withStdOut(true)
            .withStdErr(true);
    if (sinceEpochSecond != null) {
      logs = logs.withSince(sinceEpochSecond);
    }
    entry.logs = logs.exec(copier);
    entry.streams.add(entry.logs);
  }

  /** Completes the entry's termination when the container stops, then removes the container. */
  private void watch(Entry entry) {
    entry.streams.add(
        docker
            .waitContainerCmd(entry.dockerId)
            .exec(
                new ResultCallback.Adapter<>() {
                  @Override
                  public void onNext(com.github.dockerjava.api.model.WaitResponse r) {
                    finish(entry);
                  }

                  @Override
                  public void onError(Throwable t) {
                    LOG.warn("lost the wait on container {}; inspecting it", entry.dockerId, t);
                    finish(entry);
                  }
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
    ResultCallback.Adapter<Frame> logs = entry.logs;
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
          "killed for exceeding its memory limit of " + Sizes.human(limit));
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
    try {
      docker.removeContainerCmd(dockerId).withForce(true).exec();
    } catch (NotFoundException e) {
      LOG.debug("container {} already removed", dockerId);
    }
  }

  @Override
  public CompletableFuture<Termination> wait(ContainerId id) {
    return entry(id).termination;
  }

  @Override
  public void kill(ContainerId id, Duration gracePeriod) {
    Entry e = entry(id);
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
    Entry e = entry(id);
    if (e.termination.isDone()) {
      return Optional.empty();
    }
    Statistics stats;
    try {
      stats = StatsOnce.read(docker, e.dockerId);
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
    Entry e = entry(id);
    if (e.termination.isDone()) {
      throw new IllegalStateException("container " + id + " has ended");
    }
    List<String> cmd =
        command.isShell()
            ? (windowsEngine()
                ? List.of("cmd", "/S", "/C", command.shell())
                : List.of("/bin/sh", "-c", command.shell()))
            : command.argv();
    try {
      String execId =
          docker
              .execCreateCmd(e.dockerId)
              .withCmd(cmd.toArray(String[]::new))
              .withAttachStdout(true)
              .withAttachStderr(true)
              .exec()
              .getId();
      StringBuilder output = new StringBuilder();
      ResultCallback.Adapter<Frame> collect =
          docker
              .execStartCmd(execId)
              .exec(
                  new ResultCallback.Adapter<>() {
                    @Override
                    public void onNext(Frame frame) {
                      synchronized (output) {
                        if (output.length() < EXEC_OUTPUT_LIMIT) {
                          output.append(
                              new String(
                                  frame.getPayload(), java.nio.charset.StandardCharsets.UTF_8));
                        }
                      }
                    }
                  });
      boolean done = collect.awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS);
      collect.close();
      if (!done) {
        return new ExecResult(-1, true, output.toString());
      }
      Long code = docker.inspectExecCmd(execId).exec().getExitCodeLong();
      String text;
      synchronized (output) {
        text =
            output.length() > EXEC_OUTPUT_LIMIT
                ? output.substring(0, EXEC_OUTPUT_LIMIT)
                : output.toString();
      }
      return new ExecResult(code == null ? -1 : code.intValue(), false, text);
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      throw new ContainerizerException("interrupted running a command in " + id, ie);
    } catch (IOException | DockerException failure) {
      throw new ContainerizerException(
          "cannot run a command in " + id + ": " + failure.getMessage(), failure);
    }
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
        follow(
            entry,
            Path.of(cp.details().get("stdout")),
            Path.of(cp.details().get("stderr")),
            (int) clock.instant().getEpochSecond());
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

  private Entry entry(ContainerId id) {
    Entry e = entries.get(id);
    if (e == null) {
      throw new UnknownContainerException(id);
    }
    return e;
  }

  @Override
  public void close() {
    for (Entry e : entries.values()) {
      for (AutoCloseable s : e.streams) {
        try {
          s.close();
        } catch (Exception ex) {
          LOG.debug("closing a stream of {}", e.dockerId, ex);
        }
      }
    }
    try {
      docker.close();
    } catch (IOException e) {
      throw new UncheckedIOException("closing the docker client", e);
    }
  }
}
