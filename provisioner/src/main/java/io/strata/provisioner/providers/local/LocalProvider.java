package io.strata.provisioner.providers.local;

import io.strata.provisioner.cloud.CloudException;
import io.strata.provisioner.cloud.CloudProvider;
import io.strata.provisioner.cloud.NodeOperation;
import io.strata.provisioner.cloud.NodeProgress;
import io.strata.provisioner.cloud.NodeRequest;
import io.strata.provisioner.cloud.TaggedResource;
import io.strata.provisioner.core.Machine;
import io.strata.provisioner.core.NodeRecord;
import io.strata.provisioner.core.NodeRole;
import io.strata.provisioner.spec.ClusterSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * The {@code local} cloud: the allocator and the agents are processes on this machine, started by
 * the same launcher as {@code strata up} ({@link LocalCluster}). Agent {@code i} of the (single)
 * pool is the launcher's agent {@code i + 1}. With {@code allocator.count} 3 or 5 the launcher's
 * spec has {@link LocalClusterSpec.Ha}: allocator {@code i} is the launcher's allocator {@code i +
 * 1} of an HA group on a local ZooKeeper ensemble, as {@code strata up --ha} runs it. Creating a
 * machine asks the launcher to bring the cluster up to the highest agent asked for (it starts only
 * what is not running and waits until every agent registered and, with HA, one allocator leads);
 * deleting an agent stops it; deleting an allocator or the network brings the whole cluster down
 * (the ZooKeeper servers too), leaving no process or cgroup behind. The allocator count of a
 * running cluster cannot change: preflight refuses it. The bootstrap scripts are not used: the
 * processes are configured by the launcher.
 */
public final class LocalProvider implements CloudProvider {
  private static final Duration GRACE = Duration.ofSeconds(10);
  private final IntFunction<LocalClusterSpec> cluster;
  private final Path dataDir;
  private final Consumer<String> progress;
  private final AgentCleanup cleanup;
  private final int allocators;
  private final Object lock = new Object();
  private int wanted;
  private int upTo = -1;

  /**
   * @param cluster the launcher's spec for a given number of agents: the CLI knows how to start
   *     this machine's allocator and agent processes
   * @param progress receives the launcher's progress lines
   * @param cleanup the agent's own cleanup of its tasks and cgroups, run after an agent (or the
   *     whole cluster) is stopped: the CLI supplies agent-linux's
   */
  public LocalProvider(
      ClusterSpec spec,
      IntFunction<LocalClusterSpec> cluster,
      Consumer<String> progress,
      AgentCleanup cleanup) {
    this.cluster = cluster;
    this.allocators = spec.allocator().count();
    this.dataDir = cluster.apply(0).dataDir().toAbsolutePath().normalize();
    this.progress = progress;
    this.cleanup = cleanup;
  }

  @Override
  public List<String> preflight(List<Machine> creating) {
    List<String> problems = new ArrayList<>();
    Path parent = dataDir.getParent();
    if (parent != null && Files.exists(parent) && !Files.isWritable(parent)) {
      problems.add("cannot write under " + parent);
    }
    int agents = (int) creating.stream().filter(m -> m.role() == NodeRole.AGENT).count();
    if (agents > 64) {
      problems.add("the local cloud runs at most 64 agents (asked for " + agents + ")");
    }
    LocalCluster.read(dataDir)
        .filter(LocalProvider::running)
        .map(s -> s.ha() ? s.allocators().size() : 1)
        .filter(n -> n != allocators)
        .ifPresent(
            n ->
                problems.add(
                    "allocator.count: the local cluster in "
                        + dataDir
                        + " runs "
                        + n
                        + " allocator(s), the spec asks for "
                        + allocators
                        + "; the local cloud cannot change that on a running cluster: destroy it"
                        + " first (strata provision destroy)"));
    return problems;
  }

  private static boolean running(ClusterState s) {
    return (s.allocator() != null && alive(s.allocator()))
        || s.allocators().stream().anyMatch(a -> alive(a.process()));
  }

  /** Every allocator listens on 127.0.0.1 (each on its own port), known before it starts. */
  @Override
  public String plannedAddress(Machine machine) {
    return machine.role() == NodeRole.ALLOCATOR ? "127.0.0.1" : null;
  }

  @Override
  public Map<String, String> ensureNetwork() {
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new CloudException(0, null, "cannot create " + dataDir + ": " + e.getMessage(), e);
    }
    return Map.of("dataDir", dataDir.toString());
  }

  @Override
  public NodeOperation startNode(NodeRequest request) {
    Machine m = request.machine();
    synchronized (lock) {
      if (m.role() == NodeRole.AGENT) {
        wanted = Math.max(wanted, m.index() + 1);
      }
    }
    return new NodeOperation(m, Map.of("index", Integer.toString(launcherIndex(m))), m);
  }

  private static int launcherIndex(Machine m) {
    return m.role() == NodeRole.ALLOCATOR ? 0 : m.index() + 1;
  }

  /**
   * Brings the cluster up to what was asked for, one launcher run at a time, and judges this
   * machine under the same lock: a later run for another machine restarts agents that died, and
   * must not make this one look alive for a moment.
   */
  @Override
  public NodeProgress poll(NodeOperation op) {
    synchronized (lock) {
      String failure = null;
      int running = LocalCluster.read(dataDir).map(s -> s.agents().size()).orElse(0);
      int target = Math.max(wanted, running);
      if (upTo < target) {
        try {
          new LocalCluster(cluster.apply(target)).up(progress);
          upTo = target;
        } catch (LocalClusterException e) {
          failure = e.getMessage();
        }
      }
      return verdict(op.machine(), failure);
    }
  }

  private NodeProgress verdict(Machine m, String failure) {
    Optional<ClusterState> state = LocalCluster.read(dataDir);
    if (state.isEmpty()) {
      return new NodeProgress.Failed(failure != null ? failure : "the cluster did not start");
    }
    int index = launcherIndex(m);
    ClusterState.ProcessRecord process =
        m.role() == NodeRole.ALLOCATOR
            ? allocatorProcess(state.get(), m.index())
            : state.get().agents().stream()
                .filter(a -> a.index() == index)
                .map(ClusterState.AgentRecord::process)
                .findFirst()
                .orElse(null);
    if (process == null || !alive(process)) {
      return new NodeProgress.Failed(
          failure != null
              ? failure
              : m.name() + " is not running (see " + state.get().logDir() + ")");
    }
    Map<String, String> ids = new HashMap<>();
    ids.put("index", Integer.toString(index));
    ids.put("pid", Long.toString(process.pid()));
    if (m.role() == NodeRole.AGENT) {
      state.get().agents().stream()
          .filter(a -> a.index() == index)
          .findFirst()
          .ifPresent(a -> ids.put(HOSTNAME, a.hostname()));
    }
    return new NodeProgress.Running(ids, "127.0.0.1", "127.0.0.1");
  }

  /** Allocator {@code i} (0-based): the one allocator, or the HA group's {@code i + 1}. */
  private static ClusterState.ProcessRecord allocatorProcess(ClusterState s, int i) {
    if (!s.ha()) {
      return i == 0 ? s.allocator() : null;
    }
    return s.allocators().stream()
        .filter(a -> a.index() == i + 1)
        .map(ClusterState.ServerRecord::process)
        .findFirst()
        .orElse(null);
  }

  private static boolean alive(ClusterState.ProcessRecord p) {
    if (p == null) {
      return false;
    }
    return ProcessHandle.of(p.pid())
        .filter(ProcessHandle::isAlive)
        .map(
            h ->
                h.info()
                    .startInstant()
                    .map(s -> !s.isAfter(p.startedAt().plusSeconds(1)))
                    .orElse(true))
        .orElse(false);
  }

  @Override
  public void deleteNode(NodeRecord node) {
    synchronized (lock) {
      if (node.machine().role() == NodeRole.ALLOCATOR) {
        LocalCluster.down(dataDir, GRACE, cleanup);
        upTo = -1;
        wanted = 0;
        return;
      }
      int index = node.machine().index() + 1;
      LocalCluster.stopAgent(dataDir, index, GRACE, cleanup);
      // The launcher brings agents 1..n up: forget the stopped ones so none comes back.
      wanted = Math.min(wanted, node.machine().index());
      upTo = Math.min(upTo, node.machine().index());
      LocalCluster.read(dataDir).ifPresent(s -> trimTo(s, index));
    }
  }

  /** Rewrites the launcher's record without the agents at and above {@code index}. */
  private void trimTo(ClusterState s, int index) {
    List<ClusterState.AgentRecord> kept =
        s.agents().stream().filter(a -> a.index() < index).toList();
    // withAgents keeps the HA group's allocators and ZooKeeper servers on record.
    ClusterState trimmed = s.withAgents(kept);
    Path file = dataDir.resolve(LocalCluster.STATE_FILE);
    Path tmp = dataDir.resolve(LocalCluster.STATE_FILE + ".scale");
    try {
      Files.write(tmp, io.strata.api.json.Codec.JSON.encodeBytes(trimmed));
      Files.move(
          tmp,
          file,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new CloudException(0, null, "cannot update " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void deleteNetwork(Map<String, String> network) {
    synchronized (lock) {
      LocalCluster.down(dataDir, GRACE, cleanup);
      upTo = -1;
      wanted = 0;
    }
  }

  @Override
  public List<TaggedResource> tagged() {
    List<TaggedResource> out = new ArrayList<>();
    LocalCluster.read(dataDir)
        .ifPresent(
            s -> {
              if (s.allocator() != null && alive(s.allocator())) {
                out.add(
                    new TaggedResource("process", Long.toString(s.allocator().pid()), "allocator"));
              }
              s.allocators().stream()
                  .filter(a -> alive(a.process()))
                  .forEach(
                      a ->
                          out.add(
                              new TaggedResource(
                                  "process",
                                  Long.toString(a.process().pid()),
                                  "allocator-" + a.index())));
              s.zookeepers().stream()
                  .filter(z -> alive(z.process()))
                  .forEach(
                      z ->
                          out.add(
                              new TaggedResource(
                                  "process",
                                  Long.toString(z.process().pid()),
                                  "zookeeper-" + z.index())));
              s.agents().stream()
                  .filter(a -> alive(a.process()))
                  .forEach(
                      a ->
                          out.add(
                              new TaggedResource(
                                  "process", Long.toString(a.process().pid()), a.hostname())));
            });
    return out;
  }

  @Override
  public String operatorToken() {
    return LocalCluster.read(dataDir)
        .map(
            s -> {
              try {
                return Files.readString(Path.of(s.adminTokenFile()), StandardCharsets.UTF_8)
                    .strip();
              } catch (IOException e) {
                throw new CloudException(
                    0, null, "cannot read the admin token: " + e.getMessage(), e);
              }
            })
        .orElse(null);
  }

  @Override
  public String allocatorEndpoint(NodeRecord allocator, int port) {
    return cluster.apply(0).allocatorUrl(allocator.machine().index() + 1);
  }

  @Override
  public String operatorEndpoint(NodeRecord allocator, int port) {
    return allocatorEndpoint(allocator, port);
  }

  @Override
  public void close() {}
}
