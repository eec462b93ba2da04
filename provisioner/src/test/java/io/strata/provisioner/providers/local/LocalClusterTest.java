package io.strata.provisioner.providers.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.provisioner.providers.local.ClusterState.AgentRecord;
import io.strata.testkit.Loopback;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher with real processes: a fake allocator (a single-file Java program serving /health
 * and /v1/agents from what the fake agents wrote) and shell-script agents. Down stops what up
 * started and what sits in the cluster's cgroups, and nothing else.
 */
class LocalClusterTest {
  static final String FAKE_ALLOCATOR =
      """
      import com.sun.net.httpserver.HttpServer;
      import java.net.InetSocketAddress;
      import java.nio.file.*;

      public class FakeAllocator {
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

  @TempDir Path tmp;
  final List<Path> dataDirs = new ArrayList<>();

  @AfterEach
  void cleanUp() {
    dataDirs.forEach(d -> LocalCluster.down(d, Duration.ofSeconds(1), LocalFixture.NO_CGROUPS));
  }

  LocalClusterSpec spec(Path dataDir, int agents, String agentScript) throws IOException {
    dataDirs.add(dataDir);
    Path source = tmp.resolve("FakeAllocator.java");
    Files.writeString(source, FAKE_ALLOCATOR);
    String java = ProcessHandle.current().info().command().orElse("java");
    return new LocalClusterSpec(
        dataDir,
        agents,
        500,
        64L << 20,
        "127.0.0.1",
        Loopback.freePort(),
        Loopback.freePort(),
        31000,
        100,
        ProcessTemplate.of(java, source.toString(), "{port}", "{logDir}/../agents"),
        ProcessTemplate.of("/bin/sh", "-c", agentScript, "agent-{name}"),
        Duration.ofSeconds(60));
  }

  static final String AGENT =
      "cd {workDir} && echo {hostname} > {workDir}/registered && exec sleep 600";

  @Test
  void upTwiceIsHarmlessAndDownLeavesNoProcess() throws IOException {
    LocalCluster cluster = new LocalCluster(spec(tmp.resolve("c1"), 2, AGENT));
    List<String> progress = new ArrayList<>();
    ClusterState first = cluster.up(progress::add);
    assertThat(first.agents()).hasSize(2);
    assertThat(first.agents())
        .extracting(AgentRecord::taskPorts)
        .containsExactly("31000-31099", "31100-31199");
    assertThat(first.agents().get(0).cgroupParent()).startsWith("strata-local-").endsWith("/a1");
    assertThat(progress).last().asString().isEqualTo("2 agent(s) registered");

    ClusterState second = cluster.up(progress::add);
    assertThat(second.allocator().pid()).isEqualTo(first.allocator().pid());
    assertThat(second.agents())
        .extracting(a -> a.process().pid())
        .containsExactlyElementsOf(first.agents().stream().map(a -> a.process().pid()).toList());
    assertThat(LocalCluster.read(tmp.resolve("c1"))).isPresent();

    List<Long> pids = new ArrayList<>();
    pids.add(first.allocator().pid());
    first.agents().forEach(a -> pids.add(a.process().pid()));
    LocalCluster.DownReport report =
        LocalCluster.down(tmp.resolve("c1"), Duration.ofSeconds(5), LocalFixture.NO_CGROUPS);
    assertThat(report.processesStopped()).isEqualTo(3);
    assertThat(pids).noneMatch(Processes::running);
    assertThat(LocalCluster.read(tmp.resolve("c1"))).isEmpty();
    // And again: nothing to do.
    assertThat(
            LocalCluster.down(tmp.resolve("c1"), Duration.ofSeconds(1), LocalFixture.NO_CGROUPS)
                .processesStopped())
        .isZero();
  }

  @Test
  void downStopsNothingItDidNotStartThoughItWorksInTheDataDir() throws Exception {
    Path dir = tmp.resolve("c5");
    new LocalCluster(spec(dir, 1, AGENT)).up(line -> {});
    // A `tail -f` of a log in the data dir, working there too.
    Process bystander =
        new ProcessBuilder("tail", "-f", dir.resolve("logs/allocator.log").toString())
            .directory(dir.toFile())
            .start();
    // `timeout 60 strata down --data-dir D`: the sweep's own parent names the data dir too.
    Process parent =
        new ProcessBuilder(
                "timeout", "600", "tail", "-f", dir.resolve("logs/allocator.log").toString())
            .directory(dir.resolve("agents").toFile())
            .start();
    try {
      LocalCluster.DownReport report =
          LocalCluster.down(dir, Duration.ofSeconds(5), LocalFixture.NO_CGROUPS);
      assertThat(report.processesStopped()).isEqualTo(2);
      assertThat(bystander.isAlive()).isTrue();
      assertThat(parent.isAlive()).isTrue();
    } finally {
      bystander.destroyForcibly();
      parent.descendants().forEach(ProcessHandle::destroyForcibly);
      parent.destroyForcibly();
    }
  }

  @Test
  void aRecordedPidNowHeldByAnotherProcessIsLeftAlone() throws Exception {
    Process other = new ProcessBuilder("sleep", "600").start();
    try {
      long ticks = Processes.startTicks(other.pid()).orElseThrow();
      var same =
          new ClusterState.ProcessRecord(
              other.pid(), java.time.Instant.now(), "log", List.of("sleep"), ticks);
      var recycled =
          new ClusterState.ProcessRecord(
              other.pid(), java.time.Instant.now(), "log", List.of("sleep"), ticks - 1);
      assertThat(Processes.alive(same)).isTrue();
      assertThat(Processes.alive(recycled)).isFalse();
      Processes.stop(recycled, Duration.ofSeconds(1));
      assertThat(other.isAlive()).isTrue();
    } finally {
      other.destroyForcibly();
    }
  }

  @Test
  void startTicksAreField22EvenWithSpacesAndParenthesesInTheName() {
    String stat =
        "4242 (a b) c)) S 1 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 1000 50";
    assertThat(Processes.parseStartTicks(stat)).contains(987654L);
  }

  @Test
  void upAtAnotherAddressLeavesARunningClusterUntouched() throws IOException {
    Path dir = tmp.resolve("c6");
    ClusterState first = new LocalCluster(spec(dir, 1, AGENT)).up(line -> {});
    byte[] recorded = Files.readAllBytes(dir.resolve(LocalCluster.STATE_FILE));
    LocalClusterSpec otherPort = spec(dir, 1, AGENT);
    assertThatThrownBy(() -> new LocalCluster(otherPort).up(line -> {}))
        .isInstanceOf(LocalClusterException.class)
        .hasMessageContaining("already running at " + first.url());
    assertThat(Files.readAllBytes(dir.resolve(LocalCluster.STATE_FILE))).isEqualTo(recorded);
    assertThat(Processes.alive(first.allocator())).isTrue();
    assertThat(Processes.alive(first.agents().get(0).process())).isTrue();
  }

  @Test
  void haOverARunningClusterWithoutItIsRefusedSayingSo() throws IOException {
    Path dir = tmp.resolve("c7");
    ClusterState first = new LocalCluster(spec(dir, 1, AGENT)).up(line -> {});
    LocalClusterSpec plain = spec(dir, 1, AGENT);
    LocalClusterSpec ha =
        new LocalClusterSpec(
            dir,
            1,
            plain.agentMillicpus(),
            plain.agentMemoryBytes(),
            "127.0.0.1",
            plain.port(),
            plain.agentPortBase(),
            plain.taskPortBase(),
            plain.taskPortsPerAgent(),
            plain.allocator(),
            plain.agent(),
            plain.startTimeout(),
            new LocalClusterSpec.Ha(3, 3, plain.port() + 100, ProcessTemplate.of("false")));

    assertThatThrownBy(() -> new LocalCluster(ha).up(line -> {}))
        .isInstanceOf(LocalClusterException.class)
        .hasMessageContaining("already running without --ha at " + first.url())
        .hasMessageContaining("strata down --data-dir");
    assertThat(Processes.alive(first.allocator())).isTrue();
    assertThat(dir.resolve("zookeeper")).doesNotExist();
  }

  @Test
  void anAgentThatDiesAtStartIsReportedWithItsLog() throws IOException {
    LocalCluster cluster =
        new LocalCluster(
            spec(tmp.resolve("c2"), 1, "echo 'cannot open /dev/kvm: no such file'; exit 3"));
    assertThatThrownBy(() -> cluster.up(line -> {}))
        .isInstanceOf(LocalClusterException.class)
        .hasMessageContaining("exited during start-up")
        .hasMessageContaining("cannot open /dev/kvm");
  }

  @Test
  void aTakenPortIsRefused() throws IOException {
    LocalClusterSpec s = spec(tmp.resolve("c3"), 0, AGENT);
    try (ServerSocket taken =
        new ServerSocket(s.port(), 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      assertThatThrownBy(() -> new LocalCluster(s).up(line -> {}))
          .isInstanceOf(LocalClusterException.class)
          .hasMessageContaining("in use");
    }
  }

  @Test
  void templatesRefuseUnknownPlaceholders() {
    assertThatThrownBy(
            () -> ProcessTemplate.of("x", "{nope}").render(java.util.Map.of("port", "1")))
        .hasMessageContaining("{nope}");
  }

  @Test
  void downHandsTheClustersCgroupsToTheAgentsCleanupAfterStoppingItsProcesses() throws IOException {
    LocalCluster cluster = new LocalCluster(spec(tmp.resolve("c4"), 1, AGENT));
    ClusterState state = cluster.up(line -> {});
    long agent = state.agents().get(0).process().pid();
    List<String> cleaned = new ArrayList<>();
    AgentCleanup recording =
        parent -> {
          // The agent is gone before its cleanup runs: nothing of it can make a task meanwhile.
          assertThat(Processes.running(agent)).isFalse();
          cleaned.add(parent);
          return new AgentCleanup.Result(2, List.of(Path.of("/sys/fs/cgroup/x", parent)));
        };

    LocalCluster.DownReport report =
        LocalCluster.down(tmp.resolve("c4"), Duration.ofSeconds(5), recording);
    assertThat(cleaned).containsExactly(state.cgroupRoot());
    assertThat(report.leftoversKilled()).isEqualTo(2);
    assertThat(report.cgroupsLeft())
        .containsExactly(Path.of("/sys/fs/cgroup/x", state.cgroupRoot()));
  }
}
