package io.strata.agent.linux;

import static io.strata.testkit.Eventually.await;
import static io.strata.testkit.Eventually.awaitValue;
import static org.assertj.core.api.Assertions.assertThat;

import io.strata.agent.linux.cgroups.CgroupLayout;
import io.strata.api.AgentId;
import io.strata.api.FrameworkId;
import io.strata.api.FrameworkInfo;
import io.strata.api.Reason;
import io.strata.api.Resources;
import io.strata.api.TaskId;
import io.strata.api.TaskInfo;
import io.strata.api.TaskState;
import io.strata.api.TaskStatus;
import io.strata.api.agent.AgentMessage;
import io.strata.api.agent.RegisterAgent;
import io.strata.fakes.allocator.FakeAllocator;
import io.strata.testkit.RequiresCgroupV1;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, defect 7, on the real thing: the agent as its own JVM (root, cgroups) runs tasks of
 * different frameworks as different uids of its range, with NoNewPrivs and no capabilities; a task
 * tries to read another's sandbox and the agent's records with {@code /bin/cat} and is refused; no
 * file of the agent's state is readable by others; the uid mapping survives a restart; a range with
 * no uid left fails the task with the reason.
 */
@RequiresCgroupV1
class TaskIsolationTest {
  static final FrameworkId FW_A = FrameworkId.of("fw-a");
  static final FrameworkId FW_B = FrameworkId.of("fw-b");
  static final FrameworkId FW_C = FrameworkId.of("fw-c");
  final String parent = "strata-test-" + UUID.randomUUID().toString().substring(0, 8);

  /** A range of two uids nobody else on this machine uses (a random one: tests may overlap). */
  final int firstUid = 30_000 + 10 * ThreadLocalRandom.current().nextInt(2_900);

  @TempDir Path tmp;
  Path work;
  FakeAllocator allocator;
  Process agent;

  @AfterEach
  void cleanUp() throws Exception {
    if (agent != null) {
      agent.destroyForcibly().waitFor();
    }
    if (allocator != null) {
      allocator.close();
    }
    CgroupTestSupport.killAndRemove(CgroupLayout.detect(CgroupLayout.Preference.AUTO), parent);
  }

  @Test
  void tasksOfDifferentFrameworksAreKeptApart() throws Exception {
    allocator = new FakeAllocator("iso-token", 200).start();
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
    work = tmp.resolve("agent");
    Path config = config();
    agent = startAgent(config, "agent-1.log");
    AgentId id = awaitRegistration(1);
    await("the stream", () -> allocator.hasStream(id));

    // B holds a secret in its environment (its record and its environment file hold it too).
    TaskInfo b =
        new TaskInfo(
            TaskId.of("b"),
            null,
            io.strata.api.CommandInfo.shell("echo b-output; exec sleep 100000"),
            null,
            Resources.of(100, 32L << 20),
            null,
            null,
            Map.of("SECRET", "b-secret"),
            null,
            Map.of(),
            null,
            null);
    // A waits for a list of paths, then tries to read each (cat a file, ls a directory), as itself.
    TaskInfo a =
        task(
            "a",
            "while [ ! -e go ]; do sleep 0.05; done;"
                + " while read -r f; do"
                + "   if [ -d \"$f\" ]; then r=/bin/ls; else r=/bin/cat; fi;"
                + "   if $r \"$f\" >/dev/null 2>>cat.err; then echo \"read $f\";"
                + "   else echo \"denied $f\"; fi;"
                + " done < targets; echo checked; exec sleep 100000");
    allocator.send(id, run(FW_A, a));
    allocator.send(id, run(FW_B, b));
    awaitState("a", TaskState.RUNNING);
    awaitState("b", TaskState.RUNNING);

    // Every process of each (a's loop may have a sleep running beside it).
    List<Map<String, String>> statusA = procStatuses(TaskId.of("a"));
    List<Map<String, String>> statusB = procStatuses(TaskId.of("b"));
    int uidA = firstField(statusA.get(0).get("Uid"));
    int uidB = firstField(statusB.get(0).get("Uid"));
    assertThat(Set.of(uidA, uidB)).containsExactlyInAnyOrder(firstUid, firstUid + 1);
    List<Map<String, String>> all = new ArrayList<>(statusA);
    all.addAll(statusB);
    for (Map<String, String> s : all) {
      int uid = firstField(s.get("Uid"));
      assertThat(s.get("Uid")).as("real, effective, saved, fs uid").isEqualTo(sameFour(uid));
      assertThat(s.get("Gid")).as("gid = uid").isEqualTo(sameFour(uid));
      assertThat(s.get("Groups")).as("no supplementary groups").isEmpty();
      assertThat(s.get("NoNewPrivs")).isEqualTo("1");
      for (String set : List.of("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb")) {
        assertThat(s.get(set)).as(set).isEqualTo("0000000000000000");
      }
    }

    Path sandboxA = sandboxOf("a");
    Path sandboxB = sandboxOf("b");
    String cidB = sandboxB.getFileName().toString();
    assertThat(ownerOf(sandboxA)).isEqualTo(uidA);
    assertThat(ownerOf(sandboxB)).isEqualTo(uidB);
    await("b's output", () -> read(sandboxB.resolve("stdout")).contains("b-output"));
    List<Path> forbidden =
        List.of(
            sandboxB.resolve("stdout"),
            sandboxB,
            work.resolve("sandboxes"),
            work.resolve("meta/tasks").resolve(cidB + ".json"),
            work.resolve("meta/tasks"),
            work.resolve("meta/task-uids.json"),
            work.resolve("meta/agent-id"),
            work.resolve("linux").resolve(cidB).resolve("environment"),
            work.resolve("sandboxes/.owners").resolve(cidB + ".json"),
            config);
    for (Path p : forbidden) {
      assertThat(p).as("exists, so a denial means something").exists();
    }
    List<String> targets = new ArrayList<>();
    targets.add(sandboxA.resolve("stdout").toString()); // its own: readable
    forbidden.forEach(p -> targets.add(p.toString()));
    Files.writeString(sandboxA.resolve("targets"), String.join("\n", targets) + "\n");
    Files.writeString(sandboxA.resolve("go"), "");
    await("a's checks", () -> read(sandboxA.resolve("stdout")).contains("checked"));

    String verdicts = read(sandboxA.resolve("stdout"));
    assertThat(verdicts).contains("read " + sandboxA.resolve("stdout"));
    for (Path p : forbidden) {
      assertThat(verdicts).contains("denied " + p);
    }
    assertThat(read(sandboxA.resolve("cat.err"))).contains("Permission denied");

    assertNothingOfTheAgentIsReadableByOthers(Map.of(sandboxA, uidA, sandboxB, uidB));
    assertThat(read(work.resolve("meta/tasks").resolve(cidB + ".json")))
        .as("the record says who B runs as")
        .contains("\"user\":\"" + uidB + "\"");

    // The range has two uids, both held by apps with sandboxes here: a third framework is refused.
    allocator.send(id, run(FW_C, task("c", "true")));
    TaskStatus refused = awaitState("c", TaskState.FAILED);
    assertThat(refused.reason()).isEqualTo(Reason.LAUNCH_FAILED);
    assertThat(refused.message())
        .contains("every uid of the agent's task range " + firstUid + "-" + (firstUid + 1));

    // A restarted agent gives A's next task the uid A had.
    agent.destroyForcibly().waitFor();
    agent = startAgent(config, "agent-2.log");
    AgentId again = awaitRegistration(2);
    await("the stream again", () -> allocator.hasStream(again));
    // The killed agent's stream may still look open to the fake allocator: send until it lands
    // (the agent ignores a RunTask for a task it already has).
    await(
        "a2 to reach the new agent",
        () -> {
          if (!allocator.statusesOf(TaskId.of("a2")).isEmpty()) {
            return true;
          }
          allocator.send(again, run(FW_A, task("a2", "id -u; id -G")));
          return false;
        });
    TaskStatus a2 =
        awaitValue(
            "a2 to end",
            () ->
                allocator.statusesOf(TaskId.of("a2")).stream()
                    .filter(st -> st.state().isTerminal())
                    .findFirst()
                    .orElse(null));
    assertThat(a2.state())
        .as(a2 + "\n" + read(tmp.resolve("agent-2.log")))
        .isEqualTo(TaskState.FINISHED);
    assertThat(read(sandboxOf("a2").resolve("stdout"))).isEqualTo(uidA + "\n" + uidA + "\n");
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(work.resolve("meta/task-uids.json"))))
        .isEqualTo("rw-------");
  }

  /**
   * Walks the work dir: outside the sandboxes' contents (the tasks' own business), no file or
   * directory grants anything to others, except the two directories tasks traverse to reach their
   * sandbox (0711: enter, not list); each sandbox is 0700 and its task's.
   */
  private void assertNothingOfTheAgentIsReadableByOthers(Map<Path, Integer> sandboxes)
      throws Exception {
    Path root = work.resolve("sandboxes");
    List<String> open = new ArrayList<>();
    try (Stream<Path> all = Files.walk(work)) {
      for (Path p : all.toList()) {
        if (p.startsWith(root) && p.getNameCount() > root.getNameCount() + 1) {
          Path sandbox = root.resolve(p.getName(root.getNameCount()));
          if (!sandbox.getFileName().toString().equals(".owners")) {
            continue;
          }
        }
        String mode =
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
        if (p.equals(work) || p.equals(root)) {
          assertThat(mode).as(p.toString()).isEqualTo("rwx--x--x");
        } else if (p.getParent().equals(root) && !p.getFileName().toString().equals(".owners")) {
          assertThat(mode).as(p.toString()).isEqualTo("rwx------");
        } else if (!mode.endsWith("------")) {
          open.add(p + " " + mode);
        }
      }
    }
    assertThat(open).as("agent state readable by others").isEmpty();
    sandboxes.forEach((dir, uid) -> assertThat(ownerOf(dir)).isEqualTo(uid));
  }

  Path config() throws Exception {
    Path file = tmp.resolve("agent.yaml");
    Files.writeString(
        file,
        """
        agent:
          workDir: %s
          allocator: %s
          joinToken: iso-token
          listen: 127.0.0.1:0
          reserved: "cpus:0;mem:0"
        linux:
          cgroupParent: %s
          taskUids: %d-%d
        docker:
          mode: "off"
        """
            .formatted(work, allocator.uri(), parent, firstUid, firstUid + 1));
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return file;
  }

  Process startAgent(Path config, String log) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    return new ProcessBuilder(
            java,
            "-Xmx64m",
            "-XX:+UseSerialGC",
            "-cp",
            System.getProperty("java.class.path"),
            LinuxAgentMain.class.getName(),
            "--config",
            config.toString())
        .redirectErrorStream(true)
        .redirectOutput(tmp.resolve(log).toFile())
        .start();
  }

  AgentId awaitRegistration(int count) {
    await("registration " + count, () -> allocator.registrations().size() >= count);
    RegisterAgent r = allocator.registrations().get(count - 1);
    return r.agentId() != null
        ? r.agentId()
        : awaitValue(
            "an id",
            () -> {
              for (int i = 1; i < 10; i++) {
                AgentId candidate = AgentId.of("agent-" + i);
                if (allocator.hasStream(candidate)) {
                  return candidate;
                }
              }
              return null;
            });
  }

  TaskStatus awaitState(String task, TaskState state) {
    return awaitValue(
        task + " " + state,
        () ->
            allocator.statusesOf(TaskId.of(task)).stream()
                .filter(s -> s.state() == state)
                .findFirst()
                .orElse(null));
  }

  static AgentMessage.RunTask run(FrameworkId fw, TaskInfo task) {
    return new AgentMessage.RunTask(
        fw, new FrameworkInfo(fw, fw.value(), null, Set.of("eng"), null, null, null), task);
  }

  static TaskInfo task(String id, String shell) {
    return TaskInfo.command(TaskId.of(id), shell, Resources.of(100, 32L << 20));
  }

  private Path sandboxOf(String task) throws Exception {
    try (var dirs = Files.list(work.resolve("sandboxes"))) {
      List<Path> matches =
          dirs.filter(d -> d.getFileName().toString().startsWith(task + "-")).toList();
      assertThat(matches).hasSize(1);
      return matches.get(0);
    }
  }

  /** /proc/PID/status of each live process of a task, as fields. */
  private static List<Map<String, String>> procStatuses(TaskId task) throws Exception {
    List<Map<String, String>> out = new ArrayList<>();
    for (long pid : LinuxTestSupport.processesWithTask(task)) {
      List<String> lines;
      try {
        lines = Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"));
      } catch (java.io.IOException e) {
        continue; // a sleep that ended meanwhile
      }
      Map<String, String> fields = new HashMap<>();
      for (String line : lines) {
        int colon = line.indexOf(':');
        if (colon > 0) {
          fields.put(line.substring(0, colon), line.substring(colon + 1).strip());
        }
      }
      out.add(fields);
    }
    assertThat(out).as("processes of " + task).isNotEmpty();
    return out;
  }

  private static int firstField(String line) {
    return Integer.parseInt(line.split("\\s+")[0]);
  }

  private static String sameFour(int id) {
    return id + "\t" + id + "\t" + id + "\t" + id;
  }

  private static int ownerOf(Path p) {
    try {
      return (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (Exception e) {
      return "";
    }
  }
}
