package io.strata.provisioner.providers.local;

import io.strata.provisioner.cloud.CloudGate;
import io.strata.provisioner.cloud.CloudProvider;
import io.strata.provisioner.contract.CloudFixture;
import io.strata.provisioner.spec.ClusterSpec;
import io.strata.testkit.Loopback;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The local cloud with real processes: a stand-in allocator (a single-file Java program serving
 * {@code /health} and {@code /v1/agents} from the files the agents write) and shell-script agents,
 * started by the real launcher. The end-to-end run with the real allocator and agents is in the cli
 * module, which has them.
 */
public final class LocalFixture implements CloudFixture {
  /**
   * The cleanup for this module's fake agents, which make no cgroups: nothing to clean. The real
   * one is agent-linux's (cli's LinuxAgentCleanup and its test).
   */
  public static final AgentCleanup NO_CGROUPS = parent -> new AgentCleanup.Result(0, List.of());

  static final String ALLOCATOR =
      """
      import com.sun.net.httpserver.HttpServer;
      import java.net.InetSocketAddress;
      import java.nio.file.*;

      public class StandInAllocator {
        public static void main(String[] args) throws Exception {
          Path agents = Path.of(args[1]);
          HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])), 16);
          s.createContext("/", ex -> {
            String body = "ok";
            if (ex.getRequestURI().getPath().equals("/v1/agents")) {
              StringBuilder b = new StringBuilder("[");
              if (Files.isDirectory(agents)) {
                try (var dirs = Files.list(agents)) {
                  for (Path d : (Iterable<Path>) dirs::iterator) {
                    Path f = d.resolve("registered");
                    if (Files.exists(f)) {
                      if (b.length() > 1) b.append(',');
                      String h = Files.readString(f).strip();
                      b.append("{\\"id\\":\\"" + h + "\\",\\"state\\":\\"ACTIVE\\",\\"activeTasks\\":0,\\"info\\":{\\"hostname\\":\\"" + h
                          + "\\",\\"os\\":\\"linux\\",\\"arch\\":\\"amd64\\",\\"resources\\":{}}}");
                    }
                  }
                }
              }
              body = b.append(']').toString();
            }
            byte[] bytes = body.getBytes();
            ex.sendResponseHeaders(200, bytes.length);
            ex.getResponseBody().write(bytes);
            ex.close();
          });
          s.start();
        }
      }
      """;

  /**
   * Registers by writing its hostname, unless told to fail. It leaves nothing behind: down stops
   * what up started and what is in the cluster's cgroups, not stray background processes.
   */
  static final String AGENT =
      "cd {workDir} && if [ -e ../../fail-{name} ]; then echo 'cannot boot'; exit 3; fi;"
          + " echo {hostname} > {workDir}/registered && exec sleep 600";

  private final Path root;
  private final Path source;
  private final Map<String, int[]> ports = new HashMap<>();
  private final Set<Long> pidsSeen = new HashSet<>();
  private final List<Path> dataDirs = new ArrayList<>();

  public LocalFixture() {
    try {
      root = Files.createTempDirectory("strata-local");
      source = root.resolve("StandInAllocator.java");
      Files.writeString(source, ALLOCATOR);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Path dataDir(String cluster) {
    return root.resolve(cluster);
  }

  LocalClusterSpec launcher(String cluster, int agents) {
    int[] p =
        ports.computeIfAbsent(cluster, c -> new int[] {Loopback.freePort(), Loopback.freePort()});
    String java = ProcessHandle.current().info().command().orElse("java");
    Path dir = dataDir(cluster);
    if (!dataDirs.contains(dir)) {
      dataDirs.add(dir);
    }
    return new LocalClusterSpec(
        dir,
        agents,
        500,
        64L << 20,
        "127.0.0.1",
        p[0],
        p[1],
        31000,
        100,
        ProcessTemplate.of(java, source.toString(), "{port}", "{logDir}/../agents"),
        ProcessTemplate.of("/bin/sh", "-c", AGENT, "agent-{name}"),
        Duration.ofSeconds(60));
  }

  @Override
  public ClusterSpec spec(String name, int linux, int windows) {
    return ClusterSpec.parse(
        """
        name: %s
        cloud: local
        allocator: {count: 1}
        pools: [{name: linux, os: linux, count: %d}]
        """
            .formatted(name, linux));
  }

  @Override
  public CloudProvider provider(ClusterSpec spec, CloudGate gate) {
    return new LocalProvider(spec, n -> launcher(spec.name(), n), line -> {}, NO_CGROUPS);
  }

  private List<ClusterState> states() {
    List<ClusterState> out = new ArrayList<>();
    for (Path d : dataDirs) {
      LocalCluster.read(d).ifPresent(out::add);
    }
    return out;
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  @Override
  public List<String> booted() {
    List<String> out = new ArrayList<>();
    for (ClusterState s : states()) {
      s.agents().stream()
          .filter(a -> alive(a.process().pid()))
          .filter(a -> Files.exists(Path.of(a.workDir(), "registered")))
          .forEach(a -> out.add(a.hostname()));
    }
    return out;
  }

  @Override
  public List<String> tagged(String cluster) {
    return machines(cluster);
  }

  /** Live processes of the cluster, under the names of the machines they are. */
  @Override
  public List<String> machines(String cluster) {
    List<String> out = new ArrayList<>();
    LocalCluster.read(dataDir(cluster))
        .ifPresent(
            s -> {
              if (s.allocator() != null && alive(s.allocator().pid())) {
                out.add(cluster + "-alloc-0");
              }
              s.agents().stream()
                  .filter(a -> alive(a.process().pid()))
                  .forEach(a -> out.add(cluster + "-linux-" + (a.index() - 1)));
            });
    return out;
  }

  /** Processes started so far. */
  @Override
  public long writes() {
    for (ClusterState s : states()) {
      if (s.allocator() != null) {
        pidsSeen.add(s.allocator().pid());
      }
      s.agents().forEach(a -> pidsSeen.add(a.process().pid()));
    }
    return pidsSeen.size();
  }

  @Override
  public void throttleWrites(int burst, double perSecond) {
    throw new UnsupportedOperationException("the local cloud has no rate limit");
  }

  @Override
  public void failNext(int n, int status) {
    throw new UnsupportedOperationException("the local cloud has no server to fail");
  }

  /** {@code <cluster>-linux-<i>} is the launcher's agent a(i+1). */
  @Override
  public void failBoot(String node) {
    String cluster = node.substring(0, node.indexOf("-linux-"));
    int index = Integer.parseInt(node.substring(node.lastIndexOf('-') + 1)) + 1;
    try {
      Files.createDirectories(dataDir(cluster));
      Files.writeString(dataDir(cluster).resolve("fail-a" + index), "");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String userData(String node) {
    throw new UnsupportedOperationException("local machines take no user data");
  }

  @Override
  public boolean runsWindows() {
    return false;
  }

  @Override
  public boolean injectsFaults() {
    return false;
  }

  @Override
  public boolean bootsFromTemplates() {
    return false;
  }

  @Override
  public void close() {
    dataDirs.forEach(d -> LocalCluster.down(d, Duration.ofSeconds(2), NO_CGROUPS));
  }
}
