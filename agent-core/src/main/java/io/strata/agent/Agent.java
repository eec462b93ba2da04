package io.strata.agent;

import io.strata.agent.containerizer.Containerizer;
import io.strata.agent.core.AgentResources;
import io.strata.agent.files.PortableSandboxFiles;
import io.strata.agent.files.SandboxFiles;
import io.strata.agent.health.HealthChecker;
import io.strata.agent.http.AgentHttpServer;
import io.strata.agent.http.SignedAccess;
import io.strata.agent.link.AgentLink;
import io.strata.agent.link.AllocatorClient;
import io.strata.agent.state.StateFiles;
import io.strata.agent.status.StatusOutbox;
import io.strata.agent.tasks.HostPorts;
import io.strata.agent.tasks.Sandboxes;
import io.strata.agent.tasks.TaskCheckpoint;
import io.strata.agent.tasks.TaskStore;
import io.strata.agent.tasks.Tasks;
import io.strata.api.AgentId;
import io.strata.api.AgentInfo;
import io.strata.api.Backoff;
import io.strata.api.PortRanges;
import io.strata.api.Reason;
import io.strata.api.ResourcePool;
import io.strata.api.Resources;
import io.strata.api.TaskStatus;
import io.strata.api.agent.AccessToken;
import io.strata.api.agent.AgentMessage;
import io.strata.api.agent.RegisterAgent;
import io.strata.api.client.ClusterTrust;
import io.strata.host.DurableFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * A node agent: the allocator's hands on one machine. Wires the {@link AgentLink}, the {@link
 * StatusOutbox}, the {@link Tasks} and the platform's {@link Containerizer}s, and serves sandboxes
 * over HTTP.
 *
 * <pre>
 *   allocator ──stream──► AgentLink ──RunTask/KillTask──► Tasks ──► Containerizer (cgroups, Docker, Job Objects)
 *       ▲                                                        │
 *       └── POST statuses ◄── StatusOutbox (on disk until acked) ◄┘
 * </pre>
 *
 * Work directory: {@code meta/agent-id}, {@code meta/tasks/*.json} (checkpoints), {@code outbox/}
 * (unacknowledged updates), {@code sandboxes/<containerId>/}, and each containerizer's own files.
 */
public final class Agent implements AutoCloseable {
  public static final String VERSION = "0.1.0";
  private static final System.Logger LOG = System.getLogger(Agent.class.getName());
  private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);

  /** Timings an agent may be given (tests shorten them). */
  public record Timings(Backoff statusUpdates, Backoff reconnect, Duration logRotation) {
    /** Status updates are resent after 1 s, doubling to 10 min. */
    public static final Backoff STATUS_UPDATES =
        new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(10));

    public static final Timings DEFAULT =
        new Timings(
            STATUS_UPDATES,
            new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30)),
            Duration.ofSeconds(10));
  }

  private final AgentConfig config;
  private final List<Containerizer> containerizers;
  private final MachineProbe machine;
  private final Clock clock;
  private final Timings timings;
  private final SandboxFiles sandboxFiles;
  private final CompletableFuture<String> shutdown = new CompletableFuture<>();
  private Resources total;
  private StatusOutbox outbox;
  private AgentLink link;
  private io.strata.api.client.AllocatorEndpoints allocators;
  private Tasks tasks;
  private HealthChecker health;
  private AgentHttpServer http;
  private io.strata.agent.http.EndpointTls endpointTls;
  private ScheduledExecutorService housekeeping;
  private volatile boolean draining;

  public Agent(
      AgentConfig config,
      List<Containerizer> containerizers,
      MachineProbe machine,
      Clock clock,
      Timings timings) {
    this(config, containerizers, machine, clock, timings, new PortableSandboxFiles());
  }

  /**
   * @param sandboxFiles how the HTTP endpoint opens sandbox files: the platform's safest (Linux:
   *     openat2 beneath the sandbox); {@link PortableSandboxFiles} where there is none better
   */
  public Agent(
      AgentConfig config,
      List<Containerizer> containerizers,
      MachineProbe machine,
      Clock clock,
      Timings timings,
      SandboxFiles sandboxFiles) {
    this.config = config;
    this.containerizers = List.copyOf(containerizers);
    this.machine = machine;
    this.clock = clock;
    this.timings = timings;
    this.sandboxFiles = sandboxFiles;
  }

  /** The TLS context trusting the cluster CA of {@code caFile}; null: the JVM's default. */
  static SSLContext trust(AgentConfig config) throws IOException {
    if (config.caFile() == null) {
      return null;
    }
    Path file = Path.of(config.caFile());
    try {
      return ClusterTrust.read(file).context();
    } catch (IllegalArgumentException e) {
      throw new IOException("caFile: " + file + " " + e.getMessage(), e);
    }
  }

  /** Whether the allocator said this agent is draining (and has not reactivated it since). */
  boolean draining() {
    return draining;
  }

  /** Recovers the previous run's tasks, opens the HTTP endpoint, and connects to the allocator. */
  public void start() throws IOException {
    Path work = Path.of(config.workDir()).toAbsolutePath();
    // Before anything reads or writes it: modes set, and tightened if an older agent left it open.
    StateFiles.prepare(work);
    total =
        AgentResources.offered(
            machine.discover(work),
            config.resourceOverrides(),
            config.overriddenNames(),
            config.portRanges(),
            config.reservedResources());
    outbox =
        new StatusOutbox(
            work.resolve("outbox"),
            timings.statusUpdates(),
            new StatusOutbox.Listener() {
              @Override
              public void acknowledged(TaskStatus status) {
                tasks.acknowledged(status);
              }

              @Override
              public void unknownAgent() {
                link.reconnect();
              }
            });
    // One URL, a list, or zk://: the client follows the leader (docs/ha.md).
    allocators = io.strata.api.client.AllocatorEndpoints.of(config.allocatorAddress());
    AllocatorClient client = new AllocatorClient(allocators, config.joinToken(), trust(config));
    link =
        new AgentLink(
            client,
            work.resolve("meta").resolve("agent-id"),
            timings.reconnect(),
            new LinkHandler());
    health = new HealthChecker("127.0.0.1");
    Sandboxes sandboxes =
        new Sandboxes(work.resolve("sandboxes"), config.logMaxBytes(), config.logFiles());
    tasks =
        new Tasks(
            new Tasks.Settings(
                hostname(), config.defaultUser(), config.allowedUsers(), () -> total),
            new TaskStore(work.resolve("meta").resolve("tasks")),
            outbox,
            sandboxes,
            containerizers,
            health,
            clock,
            () -> link.agentId());
    tasks.recover();
    total = withoutHeldPorts(total, tasks);
    accessKeyFile = work.resolve("meta").resolve("access-key");
    if (Files.exists(accessKeyFile)) {
      String stored = Files.readString(accessKeyFile).strip();
      accessKey(stored);
    }
    // In a cluster that uses TLS (caFile), the endpoint serves HTTPS only, with the certificate
    // the allocator issues from the cluster CA at each registration.
    endpointTls =
        config.caFile() == null ? null : new io.strata.agent.http.EndpointTls(client::certificate);
    http =
        new AgentHttpServer(
            config.listenHost(),
            config.listenPort(),
            tasks,
            sandboxes.root(),
            sandboxFiles,
            new SignedAccess(() -> accessKey(client.accessKey()), clock),
            AgentHttpServer.Limits.DEFAULT,
            endpointTls == null ? null : endpointTls.context());
    http.start();
    housekeeping =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("strata-housekeeping").factory());
    long every = timings.logRotation().toMillis();
    housekeeping.scheduleWithFixedDelay(tasks::rotateLogs, every, every, TimeUnit.MILLISECONDS);
    Duration retention = Duration.ofMillis(config.sandboxRetentionMillis());
    housekeeping.scheduleWithFixedDelay(
        () -> tasks.collectSandboxes(retention),
        0,
        Math.max(every, 600_000),
        TimeUnit.MILLISECONDS);
    link.start();
    LOG.log(
        System.Logger.Level.INFO,
        "agent started: "
            + total
            + ", endpoint "
            + endpoint()
            + ", allocator "
            + config.allocator());
  }

  private record DecodedKey(String text, PublicKey key) {}

  private volatile DecodedKey decoded;
  private Path accessKeyFile;

  /**
   * The allocator's token key: the last registration's ({@code text}), else the one kept in {@code
   * meta/access-key} from an earlier run, so a restarted agent's endpoint accepts tokens before it
   * has registered again. Decoded (and kept) once per value.
   */
  private synchronized Optional<PublicKey> accessKey(String text) {
    DecodedKey d = decoded;
    if (text != null && (d == null || !d.text().equals(text))) {
      try {
        d = new DecodedKey(text, AccessToken.decodeKey(text));
        decoded = d;
        keep(text);
      } catch (IllegalArgumentException e) {
        LOG.log(System.Logger.Level.WARNING, "the allocator's access key: " + e.getMessage());
      }
    }
    return d == null ? Optional.empty() : Optional.of(d.key());
  }

  private void keep(String key) {
    try {
      if (!Files.exists(accessKeyFile) || !Files.readString(accessKeyFile).strip().equals(key)) {
        DurableFiles.write(accessKeyFile, key.getBytes(StandardCharsets.US_ASCII));
      }
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "cannot keep the access key: " + e.getMessage());
    }
  }

  /**
   * Ports of the range that another process holds (a server of something else on this host, a
   * client's ephemeral port, the agent's own endpoint) are not offered: a task given one could not
   * bind it. Ports of tasks the agent recovered are theirs, not held by another.
   */
  private static Resources withoutHeldPorts(Resources total, Tasks tasks) {
    PortRanges own = PortRanges.EMPTY;
    for (TaskCheckpoint r : tasks.records()) {
      if (!r.state().isTerminal()) {
        own = own.plus(r.task().resources().ports());
      }
    }
    PortRanges held = HostPorts.held(total.ports().minus(own));
    if (held.isEmpty()) {
      return total;
    }
    LOG.log(
        System.Logger.Level.WARNING,
        "ports " + held + " are held by other processes on this host: not offered");
    return AgentResources.withoutHeld(total, held);
  }

  private String hostname() {
    return config.hostname() != null ? config.hostname() : machine.hostname();
  }

  private String endpoint() {
    if (config.advertise() != null) {
      return config.advertise();
    }
    String host = config.listenHost();
    if (host.equals("0.0.0.0") || host.equals("::")) {
      host = hostname();
    }
    return (endpointTls == null ? "http://" : "https://")
        + (host.contains(":") ? "[" + host + "]" : host)
        + ":"
        + http.port();
  }

  /** What the agent tells the allocator about itself. */
  public AgentInfo info() {
    Set<String> capabilities = new TreeSet<>();
    containerizers.forEach(c -> capabilities.addAll(c.capabilities()));
    capabilities.add(io.strata.api.Capabilities.KILL_TASKS);
    if (total.gpus() > 0) {
      capabilities.add(io.strata.api.Capabilities.GPUS);
    }
    return new AgentInfo(
        hostname(),
        machine.os(),
        machine.arch(),
        ResourcePool.unreserved(total),
        config.attributes(),
        capabilities,
        endpoint(),
        VERSION);
  }

  /** The certificate chain the endpoint serves; empty for plain HTTP or before registering. */
  public List<java.security.cert.X509Certificate> endpointCertificates() {
    return endpointTls == null ? List.of() : endpointTls.chain();
  }

  public int httpPort() {
    return http.port();
  }

  public Optional<AgentId> agentId() {
    return link.agentId();
  }

  public boolean isConnected() {
    return link.isConnected();
  }

  /** The updates waiting for the allocator's acknowledgement. */
  public List<TaskStatus> pendingUpdates() {
    return outbox.pending();
  }

  /** Completes with the reason once a Shutdown message has been carried out. */
  public CompletableFuture<String> shutdownRequested() {
    return shutdown;
  }

  private final class LinkHandler implements AgentLink.Agent {
    @Override
    public RegisterAgent registration(Optional<AgentId> id) {
      return new RegisterAgent(
          id.orElse(null),
          info(),
          tasks.reported(),
          endpointTls == null ? null : endpointTls.publicKey());
    }

    @Override
    public void connected(AgentId id) {
      outbox.sendThrough(link::sendStatuses);
      outbox.nudge();
    }

    @Override
    public void disconnected() {
      outbox.sendThrough(null);
    }

    @Override
    public void message(AgentMessage message) {
      switch (message) {
        case AgentMessage.RunTask run -> {
          if (draining) {
            LOG.log(
                System.Logger.Level.WARNING,
                "running " + run.task().taskId() + " although the agent is draining");
          }
          tasks.run(run);
        }
        case AgentMessage.KillTask kill -> tasks.kill(kill);
        case AgentMessage.KillTasks kills -> kills.each().forEach(tasks::kill);
        case AgentMessage.Acknowledge ack ->
            LOG.log(
                System.Logger.Level.DEBUG,
                "framework acknowledged " + ack.uuid() + " for " + ack.taskId());
        case AgentMessage.Drain drain -> {
          draining = true;
          LOG.log(
              System.Logger.Level.INFO,
              "draining" + (drain.deadline() == null ? "" : " until " + drain.deadline()));
        }
        case AgentMessage.Reactivate reactivate -> {
          if (draining) {
            draining = false;
            LOG.log(System.Logger.Level.INFO, "reactivated: no longer draining");
          }
        }
        case AgentMessage.Shutdown stop -> Thread.ofVirtual().start(() -> shutDown(stop.reason()));
        case AgentMessage.Heartbeat beat -> {}
      }
    }

    @Override
    public void gone() {
      tasks.killAll(Reason.AGENT_GONE, SHUTDOWN_GRACE);
    }
  }

  /** Kills every task, waits (bounded) until the allocator has their updates, then signals. */
  private void shutDown(String reason) {
    LOG.log(System.Logger.Level.INFO, "shutting down: " + reason);
    tasks.killAll(Reason.AGENT_GONE, SHUTDOWN_GRACE);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!outbox.pending().isEmpty() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    shutdown.complete(reason == null ? "shutdown" : reason);
  }

  /** Stops the agent's own machinery. Tasks keep running: a new agent process recovers them. */
  @Override
  public void close() {
    if (link != null) {
      link.close();
    }
    if (allocators != null) {
      allocators.close();
    }
    if (housekeeping != null) {
      housekeeping.shutdownNow();
    }
    if (http != null) {
      http.close();
    }
    if (health != null) {
      health.close();
    }
    if (outbox != null) {
      outbox.close();
    }
    containerizers.forEach(Containerizer::close);
  }
}
