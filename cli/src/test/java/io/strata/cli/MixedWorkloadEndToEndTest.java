package io.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.cli.client.StrataClient;
import io.strata.cli.client.Target;
import io.strata.cli.output.ExitCodes;
import io.strata.provisioner.providers.local.ClusterState;
import io.strata.provisioner.providers.local.LocalCluster;
import io.strata.testkit.Loopback;
import io.strata.testkit.RequiresCgroupV1;
import io.strata.testkit.RequiresRoot;
import io.strata.workloads.core.JobRun;
import io.strata.workloads.core.RunStatus;
import io.strata.workloads.framework.TaskView;
import io.strata.workloads.services.AppView;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4 end to end, for real: {@code strata up} starts an allocator and 3 Linux agents as
 * separate processes (real cgroups), then runs the sample mixed workload, {@code examples/mixed} as
 * it is ({@code strata up --example mixed} submits the same files): a web service of 3 instances of
 * the JDK's file server (HTTP health checks), a batch job of 20 tasks 5 at a time, and a cron job.
 * The example needs nothing beyond Strata's requirements (issue 17): its servers are the agent's
 * own {@code java}, checked here, so the test means the same on a machine with busybox installed;
 * CI (.ci/run) runs it where there is no busybox at all. A server is killed and comes back; a
 * rolling update never leaves fewer than instances − maxUnavailable healthy; the job completes with
 * 20 successes; a task with an impossible constraint says why; {@code strata down} leaves no
 * process and no cgroup behind. No step depends on speed: every wait is a poll with a generous
 * limit, and one that gives up prints the cluster's state ({@link ClusterDiagnostics}).
 */
@RequiresRoot
@RequiresCgroupV1
class MixedWorkloadEndToEndTest {
  static final Duration LONG = Duration.ofMinutes(3);

  @TempDir Path tmp;
  Map<String, String> env;
  Path data;
  ClusterDiagnostics cluster;
  boolean up;

  /** The sample workload, as {@code strata up --example mixed} runs it. */
  static final Path EXAMPLE = Path.of("..", "examples", "mixed").toAbsolutePath().normalize();

  static final String MARS =
      """
      kind: service
      id: mars
      command: sleep 1000
      resources: {mem: 16Mi}
      constraints: [{attribute: zone, operator: EQUALS, value: mars}]
      """;

  @AfterEach
  void down() {
    if (up) {
      Cli.run(env, "down", "--grace", "5");
    }
  }

  Path file(String name, String text) throws IOException {
    Path f = tmp.resolve(name);
    Files.writeString(f, text);
    return f;
  }

  Cli.Result strata(String... args) {
    return Cli.run(env, args);
  }

  @Test
  void aMixedWorkloadOnThreeRealAgents() throws Exception {
    data = tmp.resolve("data");
    env =
        Map.of(
            "STRATA_DATA_DIR",
            data.toString(),
            "STRATA_CONFIG",
            tmp.resolve("none.yaml").toString());
    this.cluster = new ClusterDiagnostics(env, data);
    int port = Loopback.freePortBlock(64);

    Cli.Result started =
        strata(
            "up",
            "--agents",
            "3",
            "--cpus",
            "1",
            "--mem",
            "1Gi",
            "--port",
            Integer.toString(port),
            "--timeout",
            "180");
    up = true;
    assertThat(started.code()).as(started.toString()).isZero();
    assertThat(started.out())
        .contains("3 agent(s) registered")
        .contains("allocator http://127.0.0.1:" + port);
    ClusterState state = LocalCluster.read(data).orElseThrow();
    StrataClient client = new StrataClient(Target.resolve(null, null, null, null, env));
    assertThat(strata("up", "--agents", "3", "--port", Integer.toString(port)).out())
        .contains("already running");

    // Watched from now on: how many batch tasks run at once, and the healthy web instances while
    // the rolling update below is under way.
    AtomicInteger minHealthy = new AtomicInteger(Integer.MAX_VALUE);
    AtomicInteger maxBatchActive = new AtomicInteger();
    AtomicBoolean watching = new AtomicBoolean(true);
    AtomicBoolean rolling = new AtomicBoolean(false);
    Thread watcher =
        Thread.ofVirtual()
            .start(
                () -> {
                  while (watching.get()) {
                    try {
                      if (rolling.get()) {
                        minHealthy.accumulateAndGet(client.app("web").healthy(), Math::min);
                      }
                      long batch =
                          client.tasks().stream()
                              .filter(
                                  t -> t.owner().equals("batch") && !t.state().equals("PENDING"))
                              .count();
                      maxBatchActive.accumulateAndGet((int) batch, Math::max);
                    } catch (RuntimeException e) {
                      // A poll failed; the next one counts.
                    }
                  }
                });
    Cli.Result run = strata("run", "-f", EXAMPLE.toString());
    assertThat(run.code()).as(run.toString()).isZero();
    assertThat(run.out()).contains("web").contains("batch").contains("tick");

    // The service: 3 healthy instances, one per agent, each really serving HTTP.
    cluster.until("3 healthy web instances", LONG, () -> client.app("web").healthy() == 3);
    AppView web = client.app("web");
    assertThat(web.tasks()).extracting(TaskView::hostname).doesNotHaveDuplicates();
    for (TaskView t : web.tasks()) {
      assertThat(get(t.ports().get(0))).isEqualTo("hello from " + t.id() + "\n");
    }

    // Kill one server: the instance is replaced. The server is the agent's own java, whatever else
    // this machine has (busybox or not).
    TaskView victim = web.tasks().get(0);
    Path java = Path.of(System.getProperty("java.home"), "bin", "java").toRealPath();
    List<ProcessHandle> killed =
        processesOf(victim.id(), "jdk.httpserver").stream()
            .filter(p -> isExecutable(p, java))
            .toList();
    assertThat(killed).as("the instance's server, the agent's java").hasSize(1);
    killed.forEach(ProcessHandle::destroyForcibly);
    cluster.until(
        "the killed instance replaced",
        LONG,
        () -> {
          AppView a = client.app("web");
          return a.healthy() == 3 && a.tasks().stream().noneMatch(t -> t.id().equals(victim.id()));
        });
    assertThat(client.app("web").recentTerminations())
        .anyMatch(e -> e.taskId().equals(victim.id()));

    // A rolling update, watched: never fewer than 3 - maxUnavailable(1) healthy.
    rolling.set(true);
    String v1 = Files.readString(EXAMPLE.resolve("web.yaml"));
    assertThat(v1).contains("hello from").doesNotContain("busybox");
    String v2 = v1.replace("hello from", "hello again from");
    assertThat(strata("run", "-f", file("web.yaml", v2).toString()).out())
        .contains("updated to version 2");
    cluster.until(
        "the rolling update",
        LONG,
        () -> {
          AppView a = client.app("web");
          return a.status().equals("RUNNING")
              && a.tasks().size() == 3
              && a.tasks().stream().allMatch(t -> t.detail().equals("v2"));
        });

    // The batch job: 20 successes, never more than 5 at once.
    cluster.until(
        "the batch job",
        LONG,
        () -> {
          List<JobRun> runs = client.job("batch").runs();
          return !runs.isEmpty() && runs.get(0).status() == RunStatus.SUCCEEDED;
        });
    watching.set(false);
    watcher.join();
    assertThat(minHealthy.get())
        .as("fewest healthy instances during the update")
        .isGreaterThanOrEqualTo(2);
    assertThat(maxBatchActive.get()).as("most batch tasks at once").isBetween(1, 5);
    JobRun batch = client.job("batch").runs().get(0);
    assertThat(batch.succeeded()).isEqualTo(20);
    assertThat(batch.failed()).isZero();
    for (TaskView t : client.app("web").tasks()) {
      assertThat(get(t.ports().get(0))).isEqualTo("hello again from " + t.id() + "\n");
    }
    // The output of a batch task that has ended, read from its agent's sandbox.
    String ended = "batch." + batch.runId() + ".0";
    Cli.Result logs = strata("logs", ended);
    assertThat(logs.code()).as(logs.toString()).isZero();
    assertThat(logs.out()).matches("task " + ended.replace(".", "\\.") + " on \\S+\n");
    assertThat(strata("logs", "batch.nope.0").code()).isEqualTo(ExitCodes.NOT_FOUND);
    // The job's id: the output of every task of its newest run (all ended), each line prefixed.
    Cli.Result job = strata("logs", "batch");
    assertThat(job.code()).as(job.toString()).isZero();
    assertThat(job.out().lines())
        .hasSize(20)
        .allMatch(
            l -> l.matches("\\[batch\\." + batch.runId() + "\\.\\d+] task batch\\..* on \\S+"));

    // The cron job has run on its schedule (every 30 s).
    cluster.until(
        "a scheduled run",
        LONG,
        () ->
            client.job("tick").runs().stream()
                .anyMatch(
                    r -> r.trigger().equals("schedule") && r.status() == RunStatus.SUCCEEDED));

    // An impossible constraint: the task waits and says why.
    assertThat(strata("run", "-f", file("mars.yaml", MARS).toString()).code()).isZero();
    cluster.untilAsserted(
        "the pending reason",
        LONG,
        () -> {
          Cli.Result why = strata("why", "mars");
          assertThat(why.code()).isZero();
          assertThat(why.out())
              .contains("PENDING")
              .contains(
                  "constraint zone EQUALS mars: all 3 agents without attribute zone  [CONSTRAINT]");
        });

    // Bad input: exit code 2 with the field path.
    Cli.Result bad =
        strata(
            "run",
            "-f",
            file("bad.yaml", "kind: service\nid: x\ncommand: y\nresources: {cpus: -1}\n")
                .toString());
    assertThat(bad.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(bad.err()).contains("resources.cpus: '-1' must not be negative");

    // Down: no process, no cgroup left behind.
    List<Long> pids = new ArrayList<>();
    pids.add(state.allocator().pid());
    state.agents().forEach(a -> pids.add(a.process().pid()));
    List<Long> tasks = new ArrayList<>();
    for (TaskView t : client.tasks()) {
      processesOf(t.id(), "").forEach(p -> tasks.add(p.pid()));
    }
    assertThat(tasks).isNotEmpty();
    Cli.Result down = strata("down", "--grace", "5");
    up = false;
    assertThat(down.code()).as(down.toString()).isZero();
    assertThat(pids).noneMatch(MixedWorkloadEndToEndTest::running);
    assertThat(tasks).noneMatch(MixedWorkloadEndToEndTest::running);
    assertThat(processesUnder(data)).isEmpty();
    try (Stream<Path> hierarchies = Files.list(Path.of("/sys/fs/cgroup"))) {
      assertThat(hierarchies.map(h -> h.resolve(state.cgroupRoot())).filter(Files::exists))
          .isEmpty();
    }
  }

  static boolean isExecutable(ProcessHandle p, Path executable) {
    try {
      return Path.of(p.info().command().orElse("/nonexistent")).toRealPath().equals(executable);
    } catch (IOException e) {
      return false;
    }
  }

  static String get(int port) throws IOException, InterruptedException {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    return r.body();
  }

  /**
   * The task's processes (by the STRATA_TASK_ID in their environment) whose command mentions {@code
   * what}.
   */
  static List<ProcessHandle> processesOf(String taskId, String what) throws IOException {
    List<ProcessHandle> out = new ArrayList<>();
    byte[] needle = ("STRATA_TASK_ID=" + taskId + "\0").getBytes(StandardCharsets.UTF_8);
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : (Iterable<Path>) procs::iterator) {
        String name = p.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)) {
          continue;
        }
        try {
          byte[] environ = Files.readAllBytes(p.resolve("environ"));
          String cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8);
          if (indexOf(environ, needle) >= 0 && cmd.contains(what) && !cmd.contains("supervisor")) {
            ProcessHandle.of(Long.parseLong(name)).ifPresent(out::add);
          }
        } catch (IOException e) {
          // Gone meanwhile.
        }
      }
    }
    return out;
  }

  static List<String> processesUnder(Path dir) throws IOException {
    List<String> out = new ArrayList<>();
    String prefix = dir.toAbsolutePath().toString();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : (Iterable<Path>) procs::iterator) {
        if (!p.getFileName().toString().chars().allMatch(Character::isDigit)) {
          continue;
        }
        try {
          String cwd = Files.readSymbolicLink(p.resolve("cwd")).toString();
          if (cwd.startsWith(prefix) && running(Long.parseLong(p.getFileName().toString()))) {
            out.add(p.getFileName() + " in " + cwd);
          }
        } catch (IOException e) {
          // Gone meanwhile, or a kernel thread.
        }
      }
    }
    return out;
  }

  /** Exists and is not a zombie. */
  static boolean running(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      char state = stat.charAt(stat.lastIndexOf(')') + 2);
      return state != 'Z' && state != 'X';
    } catch (IOException e) {
      return false;
    }
  }

  static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
