package io.strata.provisioner.providers.local;

import io.strata.api.client.ApiException;
import io.strata.api.client.OperatorClient;
import io.strata.api.json.Codec;
import io.strata.api.operator.AgentState;
import io.strata.api.operator.AgentView;
import io.strata.provisioner.providers.local.ClusterState.AgentRecord;
import io.strata.provisioner.providers.local.ClusterState.ProcessRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Brings a cluster up on this machine and down again: one allocator process and N Linux agent
 * processes, started from {@link ProcessTemplate}s, each agent with its own work dir, resource
 * slice, task port range, hostname and cgroup parent. Everything is recorded in {@code
 * <dataDir>/cluster.json}, so {@link #up} is idempotent (it starts only what is not running) and
 * {@link #down} works from another process: it stops the agents and the allocator (the recorded
 * pids, each only while its start time still matches), kills what their tasks left behind in the
 * cluster's cgroups and removes the cgroups. It stops nothing else: not an editor or a {@code tail
 * -f} working in the data dir, nor the command that runs it.
 *
 * <p>{@code strata up}/{@code strata down} and the provisioner's {@code local} provider both use
 * this class. It blocks; it is not thread-safe.
 */
public final class LocalCluster {
  public static final String STATE_FILE = "cluster.json";
  private static final Duration POLL = Duration.ofMillis(100);

  private final LocalClusterSpec spec;
  private final Path dataDir;

  public LocalCluster(LocalClusterSpec spec) {
    this.spec = spec;
    this.dataDir = spec.dataDir().toAbsolutePath().normalize();
  }

  /** The recorded state of the cluster in {@code dataDir}, if one was brought up there. */
  public static Optional<ClusterState> read(Path dataDir) {
    Path file = dataDir.resolve(STATE_FILE);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Codec.JSON.decode(Files.readAllBytes(file), ClusterState.class));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /**
   * Starts whatever of the cluster is not running and waits until the allocator answers and every
   * agent has registered. Safe to call again: running processes are kept.
   *
   * @param progress receives one line per step, for the user
   * @throws LocalClusterException if a process exits or the wait times out (with its log's tail)
   */
  public ClusterState up(Consumer<String> progress) {
    try {
      Files.createDirectories(dataDir);
      Path secrets = dataDir.resolve("secrets");
      Path joinToken = token(secrets.resolve("join.token"));
      Path adminToken = token(secrets.resolve("admin.token"));
      Path logs = dataDir.resolve("logs");
      refuseAnotherAddress(read(dataDir));
      ClusterState state =
          read(dataDir)
              .filter(s -> s.url().equals(spec.url()))
              .orElse(
                  new ClusterState(
                      spec.url(),
                      adminToken.toString(),
                      joinToken.toString(),
                      logs.toString(),
                      cgroupRoot(),
                      null,
                      List.of()));
      Instant deadline = Instant.now().plus(spec.startTimeout());
      Map<String, String> allocatorVars = new TreeMap<>();
      allocatorVars.put("host", spec.host());
      allocatorVars.put("joinTokenFile", joinToken.toString());
      allocatorVars.put("adminTokenFile", adminToken.toString());
      allocatorVars.put("logDir", logs.toString());
      OperatorClient operator;
      if (spec.ha() != null) {
        LocalHa ha = new LocalHa(spec, dataDir);
        for (int p : ha.portsToStart(state)) {
          requireFreePort(p);
        }
        state = ha.up(state, allocatorVars, readToken(adminToken), deadline, progress, this::write);
        // Every allocator: the client follows the leader, also to a new one.
        operator =
            new OperatorClient(
                io.strata.api.client.AllocatorEndpoints.parse(spec.url()),
                readToken(adminToken),
                null);
      } else {
        if (Processes.alive(state.allocator())) {
          progress.accept("allocator already running (pid " + state.allocator().pid() + ")");
        } else {
          requireFreePort(spec.port());
          Map<String, String> vars = new TreeMap<>(allocatorVars);
          vars.put("dataDir", dataDir.resolve("allocator").toString());
          vars.put("port", Integer.toString(spec.port()));
          ProcessRecord p =
              Processes.start(
                  spec.allocator().render(vars), Map.of(), logs.resolve("allocator.log"));
          state = state.withAllocator(p);
          write(state);
          progress.accept("allocator started (pid " + p.pid() + "), log " + p.log());
        }
        operator = new OperatorClient(URI.create(spec.url()), readToken(adminToken));
        awaitAllocator(operator, state.allocator(), deadline);
      }

      List<AgentRecord> agents = new ArrayList<>();
      for (int i = 1; i <= spec.agents(); i++) {
        agents.add(ensureAgent(state, i, joinToken, logs, progress));
      }
      for (AgentRecord extra : state.agents()) {
        if (extra.index() > spec.agents() && Processes.alive(extra.process())) {
          agents.add(extra); // started by an earlier `up --agents` with more; left running
        }
      }
      state = state.withAgents(agents);
      write(state);
      awaitAgents(operator, state, deadline, progress);
      return state;
    } catch (IOException e) {
      throw new LocalClusterException("cannot bring the cluster up: " + e.getMessage(), e);
    }
  }

  /**
   * A cluster recorded in this data dir and still running at another address is left alone: its
   * allocator holds the journal, and rewriting {@code cluster.json} would lose its agents.
   */
  private void refuseAnotherAddress(Optional<ClusterState> recorded) {
    if (recorded.isEmpty() || recorded.get().url().equals(spec.url())) {
      return;
    }
    ClusterState running = recorded.get();
    boolean alive =
        Processes.alive(running.allocator())
            || running.agents().stream().anyMatch(a -> Processes.alive(a.process()))
            || running.allocators().stream().anyMatch(a -> Processes.alive(a.process()))
            || running.zookeepers().stream().anyMatch(z -> Processes.alive(z.process()));
    if (alive && running.ha() != (spec.ha() != null)) {
      throw new LocalClusterException(
          "the cluster in "
              + dataDir
              + " is already running "
              + (running.ha() ? "with" : "without")
              + " --ha at "
              + running.url()
              + "; stop it first (strata down --data-dir "
              + dataDir
              + "), or choose another --data-dir");
    }
    if (alive) {
      throw new LocalClusterException(
          "the cluster in "
              + dataDir
              + " is already running at "
              + running.url()
              + "; use it as it is (leave --port out), stop it first (strata down --data-dir "
              + dataDir
              + "), or choose another --data-dir");
    }
  }

  private AgentRecord ensureAgent(
      ClusterState state, int index, Path joinToken, Path logs, Consumer<String> progress)
      throws IOException {
    for (AgentRecord a : state.agents()) {
      if (a.index() == index && Processes.alive(a.process())) {
        progress.accept(
            "agent " + a.hostname() + " already running (pid " + a.process().pid() + ")");
        return a;
      }
    }
    String name = "a" + index;
    String hostname = machineName() + "-" + name;
    Path workDir = dataDir.resolve("agents").resolve(name);
    Files.createDirectories(workDir);
    int port = spec.agentPortBase() + index;
    int firstTaskPort = spec.taskPortBase() + (index - 1) * spec.taskPortsPerAgent();
    String taskPorts = firstTaskPort + "-" + (firstTaskPort + spec.taskPortsPerAgent() - 1);
    String cgroupParent = state.cgroupRoot() + "/" + name;
    Map<String, String> vars = new TreeMap<>();
    vars.put("url", spec.url());
    vars.put("index", Integer.toString(index));
    vars.put("name", name);
    vars.put("hostname", hostname);
    vars.put("workDir", workDir.toString());
    vars.put("port", Integer.toString(port));
    vars.put("cpus", io.strata.api.Quantities.formatCpus(spec.agentMillicpus()));
    vars.put("mem", Long.toString(spec.agentMemoryBytes() / (1024 * 1024)) + "Mi");
    vars.put("ports", taskPorts);
    vars.put("cgroupParent", cgroupParent);
    vars.put("joinTokenFile", joinToken.toString());
    ProcessRecord p =
        Processes.start(
            spec.agent().render(vars), Map.of(), logs.resolve("agent-" + name + ".log"));
    progress.accept("agent " + hostname + " started (pid " + p.pid() + "), log " + p.log());
    return new AgentRecord(index, hostname, workDir.toString(), cgroupParent, port, taskPorts, p);
  }

  private void awaitAllocator(OperatorClient operator, ProcessRecord p, Instant deadline) {
    while (true) {
      try {
        operator.health();
        return;
      } catch (ApiException e) {
        if (!Processes.alive(p)) {
          throw new LocalClusterException(
              "the allocator exited during start-up; its log says:\n" + tail(Path.of(p.log())));
        }
        if (Instant.now().isAfter(deadline)) {
          throw new LocalClusterException(
              "the allocator did not answer on "
                  + spec.url()
                  + " within "
                  + spec.startTimeout()
                  + " ("
                  + e.getMessage()
                  + "); its log says:\n"
                  + tail(Path.of(p.log())));
        }
        pause();
      }
    }
  }

  private void awaitAgents(
      OperatorClient operator, ClusterState state, Instant deadline, Consumer<String> progress) {
    Set<String> expected = new HashSet<>();
    for (AgentRecord a : state.agents()) {
      expected.add(a.hostname());
    }
    String lastError = "";
    while (true) {
      Set<String> registered = new HashSet<>();
      try {
        for (AgentView v : operator.agents()) {
          if (v.state() == AgentState.ACTIVE && expected.contains(v.info().hostname())) {
            registered.add(v.info().hostname());
          }
        }
      } catch (ApiException e) {
        lastError = " (last answer: " + e.getMessage() + ")"; // still starting: ask again
      }
      if (registered.containsAll(expected)) {
        progress.accept(expected.size() + " agent(s) registered");
        return;
      }
      for (AgentRecord a : state.agents()) {
        if (!Processes.alive(a.process())) {
          throw new LocalClusterException(
              "agent "
                  + a.hostname()
                  + " exited during start-up; its log says:\n"
                  + tail(Path.of(a.process().log())));
        }
      }
      if (Instant.now().isAfter(deadline)) {
        List<String> missing = new ArrayList<>(expected);
        missing.removeAll(registered);
        throw new LocalClusterException(
            "agents " + missing + " did not register within " + spec.startTimeout() + lastError);
      }
      pause();
    }
  }

  /**
   * The URL of the allocator that leads: of an HA cluster, the one whose {@code GET /v1/leader}
   * says so (empty if none does now); else the one allocator's.
   */
  public static Optional<String> leader(ClusterState state) {
    if (!state.ha()) {
      return Optional.of(state.url());
    }
    return LocalHa.leader(
        state.allocators().stream().map(ClusterState.ServerRecord::address).toList());
  }

  /** What {@link #down} did. */
  public record DownReport(int processesStopped, int leftoversKilled, List<Path> cgroupsLeft) {}

  /**
   * Stops the agents, then the allocator (SIGTERM, SIGKILL after {@code grace}; each only if its
   * recorded pid still has its recorded start time), then has {@code cleanup} (the agent's own)
   * kill every task left in each agent's cgroups and in the cluster's, and remove them (never this
   * process or its ancestors). Nothing else is touched, even if it works in the data dir. Logs,
   * tokens and the allocator's data stay; the state file goes. Harmless if nothing runs.
   */
  public static DownReport down(Path dataDir, Duration grace, AgentCleanup cleanup) {
    Path dir = dataDir.toAbsolutePath().normalize();
    Optional<ClusterState> state = read(dir);
    int stopped = 0;
    AgentCleanup.Result cleaned = new AgentCleanup.Result(0, List.of());
    if (state.isPresent()) {
      for (AgentRecord a : state.get().agents()) {
        if (Processes.alive(a.process())) {
          Processes.stop(a.process(), grace);
          stopped++;
        }
      }
      if (Processes.alive(state.get().allocator())) {
        Processes.stop(state.get().allocator(), grace);
        stopped++;
      }
      stopped += LocalHa.down(state.get(), grace);
    }
    String root = state.map(ClusterState::cgroupRoot).orElse(cgroupRoot(dir));
    cleaned = cleaned.plus(cleanup.clean(root));
    try {
      Files.deleteIfExists(dir.resolve(STATE_FILE));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + dir.resolve(STATE_FILE), e);
    }
    return new DownReport(stopped, cleaned.tasksKilled(), cleaned.left());
  }

  /**
   * Stops one agent (for the provisioner's scale-down), then has {@code cleanup} kill what it left
   * running and remove its cgroups.
   */
  public static void stopAgent(Path dataDir, int index, Duration grace, AgentCleanup cleanup) {
    Path dir = dataDir.toAbsolutePath().normalize();
    read(dir)
        .flatMap(s -> s.agents().stream().filter(a -> a.index() == index).findFirst())
        .ifPresent(
            a -> {
              Processes.stop(a.process(), grace);
              cleanup.clean(a.cgroupParent());
            });
  }

  /** The cgroup all of this cluster's agents live under: one name per data dir. */
  String cgroupRoot() {
    return cgroupRoot(dataDir);
  }

  static String cgroupRoot(Path dataDir) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(dataDir.toString().getBytes(StandardCharsets.UTF_8));
      return "strata-local-" + HexFormat.of().formatHex(digest, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always there", e);
    }
  }

  void write(ClusterState state) throws IOException {
    Path file = dataDir.resolve(STATE_FILE);
    Path tmp = dataDir.resolve(STATE_FILE + ".tmp");
    Files.write(tmp, Codec.JSON.encodeBytes(state));
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** A token file, created once with 32 random bytes (mode 0600). */
  private static Path token(Path file) throws IOException {
    if (!Files.exists(file)) {
      Files.createDirectories(file.getParent());
      byte[] bytes = new byte[32];
      new SecureRandom().nextBytes(bytes);
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, Base64.getUrlEncoder().withoutPadding().encodeToString(bytes) + "\n");
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    }
    return file;
  }

  private static String readToken(Path tokenFile) throws IOException {
    return Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
  }

  private void requireFreePort(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(InetAddress.getByName(spec.host()), port));
    } catch (IOException e) {
      throw new LocalClusterException(
          "port "
              + port
              + " on "
              + spec.host()
              + " is in use by something else; choose another"
              + " port (strata up --port N)",
          e);
    }
  }

  static String machineName() {
    try {
      String name = InetAddress.getLocalHost().getHostName();
      int dot = name.indexOf('.');
      return (dot > 0 ? name.substring(0, dot) : name).toLowerCase(java.util.Locale.ROOT);
    } catch (IOException e) {
      return "localhost";
    }
  }

  static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e.getMessage() + ")";
    }
  }

  static void pause() {
    try {
      Thread.sleep(POLL.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LocalClusterException("interrupted while waiting for the cluster", e);
    }
  }
}
