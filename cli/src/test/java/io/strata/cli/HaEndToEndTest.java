package io.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.api.TaskState;
import io.strata.api.client.ApiException;
import io.strata.api.client.OperatorClient;
import io.strata.api.operator.JoinTokenRequest;
import io.strata.api.operator.JoinTokenView;
import io.strata.cli.client.StrataClient;
import io.strata.cli.client.Target;
import io.strata.provisioner.providers.local.ClusterState;
import io.strata.provisioner.providers.local.ClusterState.ServerRecord;
import io.strata.provisioner.providers.local.LocalCluster;
import io.strata.testkit.Loopback;
import io.strata.testkit.RequiresCgroupV1;
import io.strata.testkit.RequiresRoot;
import io.strata.workloads.core.JobRun;
import io.strata.workloads.core.RunStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 end to end, with separate processes: {@code strata up --ha} starts 3 ZooKeeper servers
 * and 3 allocators, 3 real agents (cgroups) and {@code examples/mixed}. One cluster serves every
 * step (CI time):
 *
 * <ol>
 *   <li>{@code kill -9} of the leading allocator while a batch job launches tasks and agents send
 *       their status updates, and while join tokens are issued without pause: another allocator
 *       leads and a write succeeds there (the time is printed, the bound asserted is generous); no
 *       acknowledged write is lost (every issued join token is listed, the batch job ends with all
 *       its completions and no failure); no running task is lost (the same task ids RUNNING on the
 *       same agents); {@code strata apps} and {@code strata ps} keep working with the cluster's
 *       list of addresses.
 *   <li>ZooKeeper's quorum lost ({@code kill -9} of 2 of its 3 servers): a change ({@code strata
 *       scale}) is refused with an error, not a hang; {@code strata up --ha} starts them again:
 *       writes resume and nothing is lost.
 *   <li>{@code strata down} stops every process, also with one of them killed beforehand.
 * </ol>
 *
 * No step depends on speed: every wait is a poll with a generous limit, and one that gives up
 * prints the cluster's state ({@link ClusterDiagnostics}).
 */
@RequiresRoot
@RequiresCgroupV1
class HaEndToEndTest {
  static final Duration LONG = Duration.ofMinutes(3);

  /** How long a failover may take here: generous, for a loaded CI machine. */
  static final Duration FAILOVER_BOUND = Duration.ofSeconds(60);

  static final String BURST =
      """
      kind: job
      id: burst
      command: echo "burst $STRATA_TASK_ID"; sleep 1
      resources: {cpus: 0.1, mem: 16Mi}
      completions: 30
      parallelism: 6
      retries: 3
      """;

  @TempDir Path tmp;
  Map<String, String> env;
  Path data;
  boolean up;

  @AfterEach
  void down() {
    if (up) {
      Cli.run(env, "down", "--grace", "5");
    }
  }

  Cli.Result strata(String... args) {
    return Cli.run(env, args);
  }

  @Test
  void theLeaderKilledThenZooKeepersQuorumLostAndBack() throws Exception {
    data = tmp.resolve("data");
    env =
        Map.of(
            "STRATA_DATA_DIR",
            data.toString(),
            "STRATA_CONFIG",
            tmp.resolve("none.yaml").toString());
    ClusterDiagnostics cluster = new ClusterDiagnostics(env, data);
    // Allocators PORT..+2, agents +4..+6, ZooKeeper +101..+123: all free, below the ephemeral
    // range.
    int port = Loopback.freePortBlock(124);
    List<String> upArgs =
        List.of(
            "up", "--ha", "--agents", "3", "--port", Integer.toString(port), "--timeout", "240");

    Cli.Result started = strata(upArgs.toArray(String[]::new));
    up = true;
    assertThat(started.code()).as(started.toString()).isZero();
    assertThat(started.out())
        .contains("ZooKeeper quorum:")
        .contains("3 agent(s) registered")
        .contains("leader:    http://127.0.0.1:")
        .contains(
            "zookeeper: zk://127.0.0.1:"
                + (port + 101)
                + ",127.0.0.1:"
                + (port + 102)
                + ",127.0.0.1:"
                + (port + 103)
                + "/strata");
    ClusterState state = LocalCluster.read(data).orElseThrow();
    assertThat(state.allocators()).hasSize(3);
    assertThat(state.zookeepers()).hasSize(3);
    assertThat(state.url().split(",")).hasSize(3);
    List<Long> pids = pids(state);
    assertThat(pids).doesNotHaveDuplicates().hasSize(9);
    assertThat(state.allocators().stream().map(ServerRecord::dataDir).distinct()).hasSize(3);
    for (ServerRecord z : state.zookeepers()) {
      assertThat(Path.of(z.dataDir(), "data", "myid")).hasContent(z.index() + "\n");
    }

    // The cluster's address list, as the CLI has it (cluster.json, the context).
    Cli.Result run = strata("run", "-f", MixedWorkloadEndToEndTest.EXAMPLE.toString());
    assertThat(run.code()).as(run.toString()).isZero();
    StrataClient client = new StrataClient(Target.resolve(null, null, null, null, env));
    OperatorClient operator = client.operator();
    cluster.until("3 healthy web instances", LONG, () -> client.app("web").healthy() == 3);

    // Writes acknowledged from now on, across the failover: join tokens, issued without pause.
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    AtomicBoolean writing = new AtomicBoolean(true);
    Thread writer =
        Thread.ofVirtual()
            .start(
                () -> {
                  while (writing.get()) {
                    try {
                      acknowledged.add(
                          operator.issueJoinToken(new JoinTokenRequest(3600L, "ha-e2e")).id());
                    } catch (ApiException e) {
                      // Refused while no allocator leads: not acknowledged.
                    }
                    pause(250); // the allocator keeps at most 1000 join tokens
                  }
                });

    // Tasks launching and ending (status updates in flight) when the leader dies.
    Path burst = tmp.resolve("burst.yaml");
    Files.writeString(burst, BURST);
    assertThat(strata("run", "-f", burst.toString()).code()).isZero();
    cluster.until(
        "burst tasks running",
        LONG,
        () ->
            client.tasks().stream()
                .anyMatch(t -> t.owner().equals("burst") && t.state().equals("RUNNING")));
    Map<String, String> webBefore = runningWebTasks(operator);
    assertThat(webBefore).hasSize(3);

    ServerRecord leader = leader(state);
    long killed = System.nanoTime();
    ProcessHandle.of(leader.process().pid()).orElseThrow().destroyForcibly();
    Duration failover = firstWrite(operator, killed);
    System.out.printf(
        "HA end to end: kill -9 of the leader %s; a write succeeded on %s after %d ms%n",
        leader.address(), LocalCluster.leader(state).orElse("?"), failover.toMillis());
    assertThat(failover).isLessThan(FAILOVER_BOUND);
    assertThat(LocalCluster.leader(state))
        .isPresent()
        .isNotEqualTo(java.util.Optional.of(leader.address()));

    // The CLI, with the address list whose first may be the dead one.
    for (String command : List.of("apps", "ps", "nodes")) {
      Cli.Result r = strata(command);
      assertThat(r.code()).as(r.toString()).isZero();
    }
    // The new leader's services framework adopted web's instances: host and ports as at launch.
    cluster.until(
        "web's instances adopted by the new leader",
        LONG,
        () ->
            client.tasks().stream()
                    .filter(t -> webBefore.containsKey(t.id()) && t.state().equals("RUNNING"))
                    .count()
                == webBefore.size());
    for (var t : client.tasks()) {
      if (webBefore.containsKey(t.id())) {
        assertThat(t.agentId().value()).as(t.id()).isEqualTo(webBefore.get(t.id()));
        assertThat(t.hostname()).as(t.id()).isNotBlank();
        assertThat(t.ports()).as(t.id()).hasSize(1);
      }
    }
    cluster.until(
        "the burst job done after the failover",
        LONG,
        () -> {
          List<JobRun> runs = client.job("burst").runs();
          return !runs.isEmpty() && runs.get(0).status().isFinished();
        });
    JobRun burstRun = client.job("burst").runs().get(0);
    assertThat(burstRun.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(burstRun.succeeded()).isEqualTo(30);
    assertThat(burstRun.failed()).isZero();
    cluster.untilAsserted(
        "the same web tasks running on the same agents",
        LONG,
        () -> assertThat(runningWebTasks(operator)).isEqualTo(webBefore));
    writing.set(false);
    writer.join();
    assertThat(acknowledged).isNotEmpty();
    assertThat(tokenIds(operator)).containsAll(acknowledged);

    // ZooKeeper's quorum lost: 2 of 3 servers killed. A change is refused, and said so.
    for (ServerRecord z : state.zookeepers().subList(0, 2)) {
      ProcessHandle.of(z.process().pid()).orElseThrow().destroyForcibly();
    }
    Cli.Result refused =
        CompletableFuture.supplyAsync(() -> strata("scale", "web", "2"))
            .get(LONG.toSeconds(), TimeUnit.SECONDS);
    assertThat(refused.code()).as(refused.toString()).isNotZero();
    assertThat(refused.err()).startsWith("strata: error: ");
    System.out.println("HA end to end: without a quorum, strata scale said: " + refused.err());

    // strata up --ha again: the two ZooKeeper servers and the killed allocator start again.
    Cli.Result again = strata(upArgs.toArray(String[]::new));
    assertThat(again.code()).as(again.toString()).isZero();
    assertThat(again.out())
        .contains("ZooKeeper zk3 already running")
        .contains("ZooKeeper zk1 started");
    state = LocalCluster.read(data).orElseThrow();
    firstWrite(operator, System.nanoTime());
    cluster.untilAsserted(
        "the same web tasks running after the quorum came back",
        LONG,
        () -> assertThat(runningWebTasks(operator)).isEqualTo(webBefore));
    assertThat(tokenIds(operator)).containsAll(acknowledged);
    Cli.Result scaled = strata("scale", "web", "2");
    assertThat(scaled.code()).as(scaled.toString()).isZero();
    cluster.until(
        "web scaled to 2",
        LONG,
        () -> client.app("web").tasks().size() == 2 && client.app("web").healthy() == 2);

    // Down, with one allocator killed beforehand: every process stops.
    List<Long> all = pids(state);
    ProcessHandle.of(state.allocators().get(0).process().pid())
        .ifPresent(ProcessHandle::destroyForcibly);
    Cli.Result down = strata("down", "--grace", "5");
    up = false;
    assertThat(down.code()).as(down.toString()).isZero();
    assertThat(all).noneMatch(MixedWorkloadEndToEndTest::running);
  }

  /** Every process {@code strata up --ha} started: ZooKeeper servers, allocators, agents. */
  static List<Long> pids(ClusterState state) {
    List<Long> out = new ArrayList<>();
    state.zookeepers().forEach(z -> out.add(z.process().pid()));
    state.allocators().forEach(a -> out.add(a.process().pid()));
    state.agents().forEach(a -> out.add(a.process().pid()));
    return out;
  }

  static ServerRecord leader(ClusterState state) {
    String url = LocalCluster.leader(state).orElseThrow();
    return state.allocators().stream().filter(a -> a.address().equals(url)).findFirst().get();
  }

  /** The time from {@code since} until a join token is issued (polls for up to 3 minutes). */
  static Duration firstWrite(OperatorClient operator, long since) {
    long deadline = since + LONG.toNanos();
    while (true) {
      try {
        operator.issueJoinToken(new JoinTokenRequest(3600L, "ha-e2e probe"));
        return Duration.ofNanos(System.nanoTime() - since);
      } catch (ApiException e) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("no write succeeded within " + LONG + ": " + e.getMessage());
        }
        pause(20);
      }
    }
  }

  static Set<String> tokenIds(OperatorClient operator) {
    return operator.joinTokens().stream().map(JoinTokenView::id).collect(Collectors.toSet());
  }

  /** RUNNING tasks of the web service and their agents, as the allocator has them. */
  static Map<String, String> runningWebTasks(OperatorClient operator) {
    Map<String, String> out = new TreeMap<>();
    for (io.strata.api.operator.TaskView t : operator.tasks()) {
      String id = t.task().taskId().value();
      if (id.startsWith("web.") && t.state() == TaskState.RUNNING) {
        out.put(id, t.agentId().value());
      }
    }
    return out;
  }

  static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
