package io.strata.agent.linux.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Statistics;
import io.strata.agent.containerizer.ContainerCheckpoint;
import io.strata.agent.containerizer.ContainerId;
import io.strata.agent.containerizer.ContainerizerException;
import io.strata.agent.containerizer.ExecResult;
import io.strata.agent.containerizer.GracefulContainerizer;
import io.strata.agent.containerizer.LaunchResult;
import io.strata.agent.containerizer.LaunchSpec;
import io.strata.agent.containerizer.Recovered;
import io.strata.agent.containerizer.ResourceUsage;
import io.strata.agent.containerizer.Termination;
import io.strata.agent.docker.ContainerRequest;
import io.strata.agent.docker.DockerEngine;
import io.strata.agent.docker.LogPump;
import io.strata.agent.linux.cgroups.CgroupStats;
import io.strata.agent.linux.jna.Posix;
import io.strata.agent.linux.jna.ProcStat;
import io.strata.agent.linux.plan.DockerRun;
import io.strata.agent.linux.plan.TerminationRules;
import io.strata.agent.linux.users.TaskUsers;
import io.strata.api.Capabilities;
import io.strata.api.CommandInfo;
import io.strata.api.Reason;
import io.strata.api.TaskInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Tasks in Docker containers (Linux images) through docker-java over the engine's unix socket.
 * Containers carry labels naming the agent, the container id, the task and the framework, so a
 * restarted agent finds its own; their output is followed into the sandbox; their end is read from
 * the engine ({@code State.ExitCode}, {@code State.OOMKilled}) before they are removed.
 */
public final class DockerContainerizer extends GracefulContainerizer<DockerContainerizer.Running> {
  public static final String NAME = "docker";
  private static final System.Logger LOG = System.getLogger(DockerContainerizer.class.getName());

  private final String host;
  private final EngineProbe engine;
  private volatile DockerEngine dockerEngine;
  private final String agentKey;
  private final long defaultPidsLimit;
  private final TaskUsers users;
  private final Clock clock;

  static final class Running extends GracefulContainerizer.Held {
    final String dockerId;
    final String user;
    volatile LogPump logs;

    Running(ContainerId id, String dockerId, String user) {
      super(id);
      this.dockerId = dockerId;
      this.user = user;
    }
  }

  /**
   * @param host the engine's address, {@code unix:///path} or {@code tcp://host:port}
   * @param workDir the agent's work directory: its path keys the labels, so two agents sharing an
   *     engine never touch each other's containers
   */
  public DockerContainerizer(
      String host, Path workDir, long defaultPidsLimit, TaskUsers users, Clock clock) {
    this.host = host;
    this.engine = EngineProbe.of(host);
    this.agentKey = agentKey(workDir);
    this.defaultPidsLimit = defaultPidsLimit;
    this.users = users;
    this.clock = clock;
  }

  /** Containers run as the users named (the image's), no per-app uids. */
  public DockerContainerizer(
      String host, Path workDir, long defaultPidsLimit, boolean allowRootTasks, Clock clock) {
    this(host, workDir, defaultPidsLimit, TaskUsers.named(allowRootTasks), clock);
  }

  /**
   * The docker-java client, created when a container is first run, recovered or removed: an agent
   * that runs no containers never loads it (see {@link EngineProbe}).
   */
  private DockerEngine engine() {
    DockerEngine e = dockerEngine;
    if (e == null) {
      synchronized (this) {
        e = dockerEngine;
        if (e == null) {
          e = new DockerEngine(client(host));
          dockerEngine = e;
        }
      }
    }
    return e;
  }

  private DockerClient docker() {
    return engine().client();
  }

  /** A client for the engine at {@code host} (e.g. {@code unix:///var/run/docker.sock}). */
  public static DockerClient client(String host) {
    return DockerEngine.client(host, 64, null);
  }

  /**
   * The value of the {@code io.strata.agent} label of the containers of the agent in {@code
   * workDir}.
   */
  public static String agentKey(Path workDir) {
    return UUID.nameUUIDFromBytes(
            workDir.toAbsolutePath().toString().getBytes(StandardCharsets.UTF_8))
        .toString()
        .substring(0, 13);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<String> capabilities() {
    return Set.of(Capabilities.DOCKER);
  }

  @Override
  public boolean handles(TaskInfo task) {
    return task.container() != null;
  }

  @Override
  public LaunchResult launch(LaunchSpec spec) {
    if (containers.holds(spec.containerId())) {
      throw new IllegalStateException("container " + spec.containerId() + " was already launched");
    }
    ContainerUser.Decision who = ContainerUser.decide(spec, users);
    if (who instanceof ContainerUser.Refused r) {
      return new LaunchResult.Failed(r.reason(), r.message());
    }
    ContainerUser.Run as = (ContainerUser.Run) who;
    DockerRun run = DockerRun.of(spec, as.user(), agentKey, defaultPidsLimit);
    Optional<String> missing = ensureImage(run.image());
    if (missing.isPresent()) {
      return new LaunchResult.Failed(Reason.LAUNCH_FAILED, missing.get());
    }
    ContainerUser.prepareSandbox(spec, as);
    String dockerId;
    try {
      dockerId = create(run);
    } catch (DockerException e) {
      return new LaunchResult.Failed(
          Reason.LAUNCH_FAILED, "the container could not be created: " + e.getMessage());
    }
    Optional<String> noExecutable = missingExecutable(dockerId, run);
    if (noExecutable.isPresent()) {
      remove(dockerId);
      return new LaunchResult.Failed(Reason.LAUNCH_FAILED, noExecutable.get());
    }
    Running r = new Running(spec.containerId(), dockerId, run.user());
    containers.put(spec.containerId(), r);
    try {
      docker().startContainerCmd(dockerId).exec();
      // Following a container that has not started ends at once: follow it once it runs (the
      // engine keeps the output of one that already ended until it is removed).
      r.logs = engine().follow(dockerId, spec.stdout(), spec.stderr(), null);
    } catch (DockerException | IOException e) {
      containers.remove(spec.containerId());
      closeLogs(r);
      remove(dockerId);
      String why = e.getMessage() == null ? e.toString() : e.getMessage().strip();
      return new LaunchResult.Failed(Reason.LAUNCH_FAILED, "the container did not start: " + why);
    }
    watch(r);
    return new LaunchResult.Launched(
        new ContainerCheckpoint(
            spec.containerId(),
            NAME,
            0,
            0,
            dockerId,
            Map.of("name", run.name(), "user", run.user())));
  }

  private Optional<String> ensureImage(String image) {
    try {
      docker().inspectImageCmd(image).exec();
      return Optional.empty();
    } catch (NotFoundException e) {
      // Not here: try the registry, as `docker run` would.
    }
    try {
      docker().pullImageCmd(image).start().awaitCompletion(5, TimeUnit.MINUTES);
      docker().inspectImageCmd(image).exec();
      return Optional.empty();
    } catch (DockerException e) {
      return Optional.of(
          "task.container.image: image '"
              + image
              + "' is not on this agent and could not be pulled: "
              + e.getMessage().strip());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ContainerizerException("interrupted pulling " + image, e);
    }
  }

  /**
   * Docker's init (tini) would start the container and then fail to exec a missing command, so an
   * argv command's executable is looked up in the created container's file system first: as given
   * when it has a slash, else in each directory of the image's PATH.
   */
  private Optional<String> missingExecutable(String dockerId, DockerRun run) {
    if (run.entrypoint() == null || run.entrypoint().get(0).equals("/bin/sh")) {
      return Optional.empty();
    }
    String exe = run.entrypoint().get(0);
    List<String> candidates = new ArrayList<>();
    if (exe.contains("/")) {
      candidates.add(exe.startsWith("/") ? exe : DockerRun.SANDBOX + "/" + exe);
    } else {
      for (String dir : imagePath(run.image()).split(":")) {
        if (!dir.isEmpty()) {
          candidates.add(dir + "/" + exe);
        }
      }
    }
    for (String candidate : candidates) {
      try (var archive = docker().copyArchiveFromContainerCmd(dockerId, candidate).exec()) {
        // Found: the engine streams it as a tar; reading its first block is enough.
        archive.readNBytes(512);
        return Optional.empty();
      } catch (NotFoundException e) {
        // Not there: try the next one.
      } catch (IOException | DockerException e) {
        return Optional.empty(); // cannot tell: let the start decide
      }
    }
    return Optional.of(
        "task.command.argv[0]: '"
            + exe
            + "' is not in image "
            + run.image()
            + (exe.contains("/") ? "" : " (searched " + String.join(", ", candidates) + ")"));
  }

  private String imagePath(String image) {
    try {
      var env = docker().inspectImageCmd(image).exec().getConfig().getEnv();
      if (env != null) {
        for (String e : env) {
          if (e.startsWith("PATH=")) {
            return e.substring(5);
          }
        }
      }
    } catch (DockerException e) {
      // Fall back to the default below.
    }
    return "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  }

  private String create(DockerRun run) {
    return engine()
        .create(
            new ContainerRequest(
                run.image(),
                run.name(),
                run.env(),
                run.labels(),
                run.user(),
                run.workingDir(),
                run.entrypoint(),
                run.entrypoint() == null ? null : run.cmd(),
                new ContainerRequest.Limits(
                    true,
                    // As for native tasks: nothing in the container gains privileges by exec.
                    List.of("no-new-privileges"),
                    run.networkMode(),
                    run.cpuShares(),
                    run.memoryBytes(),
                    run.memoryBytes(),
                    run.nanoCpus(),
                    run.pidsLimit(),
                    null,
                    run.sandboxSource(),
                    run.sandboxTarget())));
  }

  private void watch(Running r) {
    engine().onExit(r.dockerId, failure -> Thread.ofVirtual().start(() -> finish(r)));
  }

  /** The container stopped (or the wait broke): read how it ended, then remove it. */
  private void finish(Running r) {
    if (r.termination.isDone()) {
      return;
    }
    InspectContainerResponse inspect;
    try {
      inspect = docker().inspectContainerCmd(r.dockerId).exec();
    } catch (NotFoundException e) {
      closeLogs(r);
      r.termination.complete(
          Termination.lost("its container " + r.dockerId + " vanished from the engine"));
      return;
    }
    var state = inspect.getState();
    if (Boolean.TRUE.equals(state.getRunning())) {
      // The wait was cut (engine restart, connection lost): wait again.
      watch(r);
      return;
    }
    closeLogs(r);
    Termination t = termination(inspect, r.killRequested);
    remove(r.dockerId);
    r.termination.complete(t);
  }

  private static Termination termination(InspectContainerResponse inspect, boolean killRequested) {
    var state = inspect.getState();
    Long code = state.getExitCodeLong();
    boolean oom = Boolean.TRUE.equals(state.getOOMKilled());
    Long limit = inspect.getHostConfig() == null ? null : inspect.getHostConfig().getMemory();
    return TerminationRules.decide(
        Optional.ofNullable(code).map(Long::intValue),
        new CgroupStats.MemoryVerdict(
            oom ? 1 : 0, limit == null || limit == 0 ? null : limit, null),
        killRequested);
  }

  private void closeLogs(Running r) {
    LogPump logs = r.logs;
    if (logs == null) {
      return;
    }
    try {
      // The log stream ends when the container stops; give it a moment to deliver the last lines.
      logs.awaitCompletion(5, TimeUnit.SECONDS);
      logs.close();
    } catch (IOException e) {
      LOG.log(
          System.Logger.Level.WARNING, "closing the log stream of " + r.id + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void remove(String dockerId) {
    engine().remove(dockerId);
  }

  @Override
  protected void politeStop(Running r) {
    signal(r, "SIGTERM");
  }

  /** SIGKILL to the container's init takes its whole PID namespace with it. */
  @Override
  protected void hardKill(Running r) {
    signal(r, "SIGKILL");
  }

  private void signal(Running r, String signal) {
    try {
      docker().killContainerCmd(r.dockerId).withSignal(signal).exec();
    } catch (NotFoundException | ConflictException e) {
      // Not running any more: the wait callback reports it.
    }
  }

  @Override
  public Optional<ResourceUsage> usage(ContainerId id) {
    Running r = containers.get(id);
    if (r.termination.isDone()) {
      return Optional.empty();
    }
    Statistics s = engine().statsOnce(r.dockerId);
    return s == null || r.termination.isDone()
        ? Optional.empty()
        : Optional.of(DockerUsage.of(s, clock.instant()));
  }

  @Override
  public ExecResult exec(ContainerId id, CommandInfo command, Duration timeout) {
    Running r = containers.get(id);
    if (r.termination.isDone()) {
      throw new IllegalStateException("container " + id + " has ended");
    }
    List<String> argv =
        command.isShell() ? List.of("/bin/sh", "-c", command.shell()) : command.argv();
    DockerEngine.Exec done = engine().exec(r.dockerId, argv, r.user, timeout);
    if (done.timedOut() && done.pid() > 0) {
      try {
        Posix.signal(done.pid(), 9);
      } catch (IOException e) {
        throw new ContainerizerException("exec in " + id + " failed: " + e.getMessage(), e);
      }
    }
    return new ExecResult(done.exitCode(), done.timedOut(), done.output());
  }

  @Override
  public List<Recovered> recover(List<ContainerCheckpoint> checkpoints) {
    List<Recovered> out = new ArrayList<>();
    Set<String> known = new HashSet<>();
    for (ContainerCheckpoint cp : checkpoints) {
      known.add(cp.handle());
      out.add(recoverOne(cp));
    }
    List<EngineProbe.Listed> ours;
    try {
      // Asked without docker-java: an agent with no containers to recover does not load it.
      ours = engine.containersLabelled(DockerRun.LABEL_AGENT, agentKey);
    } catch (IOException e) {
      throw new ContainerizerException("cannot list this agent's containers: " + e.getMessage(), e);
    }
    for (EngineProbe.Listed c : ours) {
      if (!known.contains(c.id())) {
        LOG.log(
            System.Logger.Level.WARNING,
            "removing orphan container "
                + c.id()
                + " "
                + c.labels().get(DockerRun.LABEL_CONTAINER));
        remove(c.id());
      }
    }
    return out;
  }

  private Recovered recoverOne(ContainerCheckpoint cp) {
    Running r =
        new Running(cp.containerId(), cp.handle(), cp.details().getOrDefault("user", "nobody"));
    containers.put(cp.containerId(), r);
    InspectContainerResponse inspect;
    try {
      inspect = docker().inspectContainerCmd(cp.handle()).exec();
    } catch (NotFoundException e) {
      Termination lost =
          Termination.lost("its container " + cp.handle() + " is gone from the engine");
      r.termination.complete(lost);
      return new Recovered.Ended(cp.containerId(), lost);
    }
    if (Boolean.TRUE.equals(inspect.getState().getRunning()) && initGone(inspect)) {
      // Its processes are gone but the engine has not noticed yet: let it catch up.
      inspect = settled(cp.handle(), inspect);
    }
    if (Boolean.TRUE.equals(inspect.getState().getRunning())) {
      reattachLogs(r, inspect);
      watch(r);
      return new Recovered.Running(cp.containerId());
    }
    Termination t = termination(inspect, false);
    r.termination.complete(t);
    remove(cp.handle());
    return new Recovered.Ended(cp.containerId(), t);
  }

  private static boolean initGone(InspectContainerResponse inspect) {
    Long pid = inspect.getState().getPidLong();
    return pid != null && pid > 0 && ProcStat.of(pid).map(s -> !s.running()).orElse(true);
  }

  private InspectContainerResponse settled(String dockerId, InspectContainerResponse inspect) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    InspectContainerResponse now = inspect;
    while (Boolean.TRUE.equals(now.getState().getRunning()) && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return now;
      }
      now = docker().inspectContainerCmd(dockerId).exec();
    }
    return now;
  }

  private void reattachLogs(Running r, InspectContainerResponse inspect) {
    String source = null;
    if (inspect.getMounts() != null) {
      for (var m : inspect.getMounts()) {
        if (m.getDestination() != null && DockerRun.SANDBOX.equals(m.getDestination().getPath())) {
          source = m.getSource();
        }
      }
    }
    if (source == null) {
      LOG.log(
          System.Logger.Level.WARNING,
          "container " + r.id + " has no sandbox mount; its output is not followed");
      return;
    }
    Path stdout = Path.of(source, "stdout");
    Path stderr = Path.of(source, "stderr");
    try {
      long since =
          Math.max(
                  Files.getLastModifiedTime(stdout).toMillis(),
                  Files.getLastModifiedTime(stderr).toMillis())
              / 1000;
      r.logs = engine().follow(r.dockerId, stdout, stderr, (int) since);
    } catch (IOException e) {
      LOG.log(
          System.Logger.Level.WARNING,
          "cannot follow the output of " + r.id + " again: " + e.getMessage());
    }
  }

  @Override
  public void close() {
    for (Running r : containers.all()) {
      LogPump logs = r.logs;
      if (logs != null) {
        try {
          logs.close();
        } catch (IOException e) {
          LOG.log(
              System.Logger.Level.WARNING,
              "closing the log stream of " + r.id + ": " + e.getMessage());
        }
      }
    }
    DockerEngine engine = dockerEngine;
    if (engine == null) {
      return;
    }
    try {
      engine.close();
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "closing the Docker client: " + e.getMessage());
    }
  }
}
