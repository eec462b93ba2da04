package io.strata.agent.linux;

import static io.strata.testkit.Eventually.await;
import static io.strata.testkit.Eventually.awaitValue;
import static org.assertj.core.api.Assertions.assertThat;

import io.strata.agent.containerizer.ContainerId;
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
import io.strata.api.agent.ReportedTask;
import io.strata.fakes.allocator.FakeAllocator;
import io.strata.testkit.RequiresCgroupV1;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real agent as its own JVM, killed with SIGKILL while it runs tasks, and started again: the
 * tasks keep running, are re-attached and reported RUNNING; the one that ended meanwhile is
 * reported with its real exit code; none is lost, none launched twice. The allocator is down
 * meanwhile, so the updates wait on disk until it is back.
 */
@RequiresCgroupV1
class AgentRestartTest {
  static final FrameworkId FW = FrameworkId.of("fw-restart");
  static final FrameworkInfo FRAMEWORK =
      new FrameworkInfo(FW, "restart", null, Set.of("eng"), null, null, null);
  final String parent = "strata-test-" + UUID.randomUUID().toString().substring(0, 8);
  @TempDir Path work;
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

  Path config() throws Exception {
    Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path file = work.resolve("agent.yaml");
    Files.writeString(
        file,
        """
        agent:
          workDir: %s
          allocator: %s
          joinToken: restart-token
          listen: 127.0.0.1:0
          reserved: "cpus:0;mem:0"
        linux:
          cgroupParent: %s
        docker:
          mode: "off"
        """
            .formatted(work.resolve("agent"), allocator.uri(), parent));
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
        .redirectOutput(work.resolve(log).toFile())
        .start();
  }

  AgentId awaitRegistration(int count) {
    await("registration " + count, () -> allocator.registrations().size() >= count);
    RegisterAgent r = allocator.registrations().get(count - 1);
    return r.agentId() != null ? r.agentId() : awaitValue("an id", () -> streamed());
  }

  private AgentId streamed() {
    for (int i = 1; i < 10; i++) {
      AgentId id = AgentId.of("agent-" + i);
      if (allocator.hasStream(id)) {
        return id;
      }
    }
    return null;
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

  static TaskInfo task(String id, String shell) {
    return TaskInfo.command(TaskId.of(id), shell, Resources.of(100, 32L << 20));
  }

  static long processesOfTask(String task) throws Exception {
    return LinuxTestSupport.processesWithTask(TaskId.of(task)).size();
  }

  @Test
  void tasksSurviveAKilledAgentAndAreRecoveredWithNoneLostOrDuplicated() throws Exception {
    allocator = new FakeAllocator("restart-token", 200).start();
    Path config = config();
    agent = startAgent(config, "agent-1.log");
    AgentId id = awaitRegistration(1);
    await("the stream", () -> allocator.hasStream(id));

    allocator.send(
        id, new AgentMessage.RunTask(FW, FRAMEWORK, task("keeps-running", "exec sleep 100000")));
    allocator.send(
        id,
        new AgentMessage.RunTask(
            FW,
            FRAMEWORK,
            task("ends-meanwhile", "while [ ! -e go ]; do sleep 0.05; done; exit 7")));
    allocator.send(id, new AgentMessage.RunTask(FW, FRAMEWORK, task("quick", "echo done")));
    awaitState("keeps-running", TaskState.RUNNING);
    awaitState("ends-meanwhile", TaskState.RUNNING);
    awaitState("quick", TaskState.FINISHED);

    agent.destroyForcibly().waitFor();
    allocator.stop();
    assertThat(processesOfTask("keeps-running")).as("a task outlives its agent").isPositive();
    assertThat(processesOfTask("ends-meanwhile")).isPositive();
    Path sandbox = sandboxOf("ends-meanwhile");
    Files.writeString(sandbox.resolve("go"), "");
    await("the task to end while the agent is down", () -> count("ends-meanwhile") == 0);

    agent = startAgent(config, "agent-2.log");
    await("checkpointed update waiting on disk", () -> outboxFiles() >= 2);
    allocator.start();

    AgentId again = awaitRegistration(2);
    assertThat(again).isEqualTo(id);
    RegisterAgent reregistration = allocator.registrations().get(1);
    assertThat(reregistration.tasks())
        .contains(new ReportedTask(FW, TaskId.of("keeps-running"), TaskState.RUNNING))
        .contains(new ReportedTask(FW, TaskId.of("ends-meanwhile"), TaskState.FAILED));
    TaskStatus ended = awaitState("ends-meanwhile", TaskState.FAILED);
    assertThat(ended.exitCode()).isEqualTo(7);
    assertThat(ended.reason()).isEqualTo(Reason.COMMAND_EXITED);
    await(
        "RUNNING again for the survivor",
        () -> allocator.distinctStatusesOf(TaskId.of("keeps-running")).size() == 2);
    assertThat(allocator.distinctStatusesOf(TaskId.of("keeps-running")))
        .extracting(TaskStatus::state)
        .containsOnly(TaskState.RUNNING);
    assertThat(allocator.distinctStatusesOf(TaskId.of("ends-meanwhile")))
        .extracting(TaskStatus::state)
        .containsExactly(TaskState.RUNNING, TaskState.FAILED);
    assertThat(allocator.distinctStatusesOf(TaskId.of("quick")))
        .extracting(TaskStatus::state)
        .containsExactly(TaskState.RUNNING, TaskState.FINISHED);
    assertThat(processesOfTask("keeps-running")).as("not launched twice").isEqualTo(1);

    await("the stream again", () -> allocator.hasStream(id));
    allocator.send(id, new AgentMessage.KillTask(FW, TaskId.of("keeps-running"), 1000L, null));
    assertThat(awaitState("keeps-running", TaskState.KILLED).reason())
        .isEqualTo(Reason.KILLED_BY_FRAMEWORK);
    assertThat(processesOfTask("keeps-running")).isZero();
    await("the outbox to drain", () -> outboxFiles() == 0);
  }

  private long count(String task) {
    try {
      return processesOfTask(task);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private long outboxFiles() {
    try (var files = Files.list(work.resolve("agent/outbox"))) {
      return files.filter(f -> f.toString().endsWith(".json")).count();
    } catch (Exception e) {
      return 0;
    }
  }

  private Path sandboxOf(String task) throws Exception {
    try (var dirs = Files.list(work.resolve("agent/sandboxes"))) {
      List<Path> matches =
          dirs.filter(d -> d.getFileName().toString().startsWith(task + "-")).toList();
      assertThat(matches).hasSize(1);
      ContainerId.of(matches.get(0).getFileName().toString());
      return matches.get(0);
    }
  }
}
